// The protocols a socket dict can name. A WebSocket transport would register
// here as `ws` (running over the `ws` package, loaded on first use).
import { registerTransport } from './transport.js';
import { streamTransport } from './tcp.js';
import { dgramTransport } from './udp.js';

registerTransport('tcp', streamTransport);
registerTransport('udp', dgramTransport);
