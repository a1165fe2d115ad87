// The DNS operators' side of min values: each program has its own DnsClient
// (the servers dns-servers set), closed with the program's other resources,
// and records come back as strings and dicts.
import { MinError } from '../../core/errors.js';
import { ProgramState, type Runtime } from '../../core/runtime.js';
import { showShort } from '../../core/printer.js';
import type { Value } from '../../core/values.js';
import { DnsClient, lookup } from '../../net/dns.js';
import { NET_ERROR } from '../../net/errors.js';
import { detailValue } from './socket-keys.js';

const clients = new ProgramState<{ client: DnsClient | null }>(() => ({ client: null }));

function clientOf(rt: Runtime): DnsClient {
  const state = clients.of(rt);
  if (state.client === null) {
    state.client = new DnsClient();
    rt.resources.add(state.client);
  }
  return state.client;
}

export const dnsLookup = async (host: string): Promise<Value[]> => lookup(host);

export const dnsResolve = async (rt: Runtime, name: string, type: string): Promise<Value[]> =>
  (await clientOf(rt).resolve(name, type)).map(detailValue);

export const dnsReverse = async (rt: Runtime, address: string): Promise<Value[]> => clientOf(rt).reverse(address);

export function dnsServers(rt: Runtime, servers: Value[]): void {
  const bad = servers.find((s) => typeof s !== 'string');
  if (bad !== undefined) throw new MinError(`dns-servers takes a quotation of strings ("127.0.0.1:5353"), got ${showShort(bad)} in it`, NET_ERROR);
  clientOf(rt).setServers(servers as string[]);
}
