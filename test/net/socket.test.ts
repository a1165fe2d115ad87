// `socket`: the dict it pushes, defaults, kept keys and refused options.
import { describe, expect, it } from 'vitest';
import { catching, min, minOk } from './peers.js';

describe('socket', () => {
  it('defaults to an ipv4 tcp stream socket', async () => {
    expect(await minOk('{} socket puts! {} socket type puts!')).toBe(
      '{"ipv4" :domain "tcp" :protocol "stream" :type ;socket}\ndict:socket\n',
    );
  });

  it('keeps the other keys given to it, and makes a new dict', async () => {
    const out = await minOk('{250 :timeout "x" :name} :d d socket puts! d puts!');
    expect(out).toBe(
      '{"ipv4" :domain "x" :name "tcp" :protocol 250 :timeout "stream" :type ;socket}\n{"x" :name 250 :timeout}\n',
    );
  });

  it('accepts ipv6, unix, dgram and udp, and quoted symbols as values', async () => {
    const out = await minOk(`
      {"ipv6" :domain} socket /domain puts!
      {"unix" :domain} socket /domain puts!
      {"dgram" :type} socket :a a /type puts! a /protocol puts!
      {"udp" :protocol} socket :b b /type puts! b /protocol puts!
      {'ipv6 :domain 'dgram :type} socket :c c /domain puts! c /protocol puts!
    `);
    expect(out).toBe('ipv6\nunix\ndgram\nudp\ndgram\nudp\nipv6\nudp\n');
  });

  it('is reachable as net.socket', async () => {
    expect(await minOk('{} net.socket type puts!')).toBe('dict:socket\n');
  });

  it.each([
    ['{"raw" :type}', "NetError Socket type 'raw' is not supported on this runtime"],
    ['{"seqpacket" :type}', "NetError Socket type 'seqpacket' is not supported on this runtime"],
    ['{"icmp" :protocol}', "NetError Socket protocol 'icmp' is not supported on this runtime"],
    ['{"ipv4" :protocol}', "NetError Socket protocol 'ipv4' is not supported on this runtime"],
    ['{"ipv6" :protocol}', "NetError Socket protocol 'ipv6' is not supported on this runtime"],
    ['{"raw" :protocol}', "NetError Socket protocol 'raw' is not supported on this runtime"],
    ['{"unix" :domain "dgram" :type}', 'NetError A unix dgram socket (protocol udp) is not supported on this runtime'],
    ['{"ipx" :domain}', "NetError Unknown socket domain 'ipx' (use ipv4, ipv6 or unix)"],
    ['{"round" :type}', "NetError Unknown socket type 'round' (use stream or dgram)"],
    ['{"sctp" :protocol}', "NetError Unknown socket protocol 'sctp' (use tcp, tls, udp, ws or wss)"],
    ['{"stream" :type "udp" :protocol}', "NetError Protocol 'udp' needs a dgram socket, not stream"],
    ['{"dgram" :type "tcp" :protocol}', "NetError Protocol 'tcp' needs a stream socket, not dgram"],
    ['{4 :domain}', 'NetError The socket\'s domain must be a string, got 4'],
  ])('refuses %s', async (dict, msg) => {
    expect(await minOk(catching(`${dict} socket`))).toBe(msg + '\n');
  });

  it('type-checks its operand', async () => {
    const r = await min('"x" socket');
    expect(r.code).toBe(1);
    expect(r.err).toContain('MinInvalidError: Incorrect values found on the stack:\n- expected: dict socket\n- got:      str socket');
  });

  it('refuses a dict that only claims to be a socket', async () => {
    expect(await minOk(catching('{;socket} "127.0.0.1" 1 connect'))).toBe(
      'NetError Not a socket made by `socket`: this dict has no network handle\n',
    );
  });
});
