// The protocols a socket dict can name (tcp, tls, udp, ws, wss). The WebSocket transports load the
// `ws` package only when a ws/wss socket first connects or listens.
import { registerTransport } from './transport.js';
import { streamTransport } from './tcp.js';
import { tlsTransport } from './tls.js';
import { dgramTransport } from './udp.js';
import { wsTransport, wssTransport } from './ws-transport.js';

registerTransport('tcp', streamTransport);
registerTransport('tls', tlsTransport);
registerTransport('udp', dgramTransport);
registerTransport('ws', wsTransport);
registerTransport('wss', wssTransport);
