// The relay row: megabytes from a Node client through a relay to a Node sink,
// all on 127.0.0.1, once through examples/relay.min (recv-some and two tasks
// per client) and once through a Node relay written with `pipe`, taking turns
// in the same run. The sink answers with the byte count, so a short transfer
// fails the row instead of looking fast.
import { serverProcess } from './server-process.mjs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const NODE_RELAY = `
const net = require('node:net');
const [host, target] = process.argv.slice(1);
const srv = net.createServer({ allowHalfOpen: true }, (client) => {
  const up = net.connect({ host, port: Number(target), allowHalfOpen: true });
  client.pipe(up);
  up.pipe(client);
  client.on('error', () => up.destroy());
  up.on('error', () => client.destroy());
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;


/** The sink: counts what arrives and, at its end, answers with the count. */
function sink() {
  const srv = createServer({ allowHalfOpen: true }, (s) => {
    let n = 0;
    s.on('data', (d) => (n += d.length));
    s.on('end', () => s.end(String(n)));
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ port: srv.address().port, close: () => srv.close() })));
}

/** Seconds to push `mb` MiB through the relay on `port` and hear the sink's count back. */
function push(port, mb, performance) {
  const block = Buffer.alloc(1 << 20, 'relay me ');
  return new Promise((resolve, reject) => {
    const c = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    let t0 = 0;
    c.on('connect', async () => {
      t0 = performance.now();
      for (let k = 0; k < mb; k++) if (!c.write(block)) await new Promise((r) => c.once('drain', r));
      c.end();
    });
    c.on('data', (d) => (answer += d));
    c.on('end', () => {
      const t = (performance.now() - t0) / 1000;
      c.destroy();
      answer === String(mb << 20) ? resolve(t) : reject(new Error(`the sink got ${answer || 'nothing'} of ${mb << 20} bytes`));
    });
    c.on('error', reject);
  });
}

export async function relayRow({ root, quick, performance }) {
  const mb = quick ? 2 : 100;
  const rounds = quick ? 1 : 3;
  const target = await sink();
  const minRelay = await serverProcess(process.execPath, [join(root, 'bin', 'min-ts'), join(root, 'examples', 'relay.min'), '0', '127.0.0.1', String(target.port)], 'relay');
  const nodeRelay = await serverProcess(process.execPath, ['-e', NODE_RELAY, '127.0.0.1', String(target.port)], 'relay');
  let t = Infinity;
  let tn = Infinity;
  try {
    for (let k = 0; k < rounds; k++) {
      t = Math.min(t, await push(minRelay.port, mb, performance));
      tn = Math.min(tn, await push(nodeRelay.port, mb, performance));
    }
  } finally {
    minRelay.stop();
    nodeRelay.stop();
    target.close();
  }
  return {
    name: `${mb} MB through a relay (examples/relay.min: recv-some, two tasks), best of ${rounds}`,
    value: `${(mb / t).toFixed(0)} MB/s`,
    reference: `node pipe relay ${(mb / tn).toFixed(0)} MB/s`,
    ratio: `${((tn / t) * 100).toFixed(0)}% of node`,
    target: '>= 50% of node',
    ok: tn / t >= 0.5,
  };
}
