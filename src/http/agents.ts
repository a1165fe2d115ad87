// The keep-alive agents of a program: one for http and one for https, made
// on the first request that asks for keep-alive and destroyed with the
// program's other resources. Node keeps idle connections per origin (and
// per TLS options) and does not let an idle one keep the program running.
import type { Agent } from 'node:http';
import { http as loadHttp, https as loadHttps } from '../lib/builtins.js';
import type { Resources } from '../net/socket.js';

const agentsOf = new WeakMap<Resources, { http?: Agent; https?: Agent }>();

export function agentFor(resources: Resources, secure: boolean): Agent {
  let agents = agentsOf.get(resources);
  if (agents === undefined) agentsOf.set(resources, (agents = {}));
  const which = secure ? 'https' : 'http';
  let agent = agents[which];
  if (agent === undefined) {
    const made = (agent = agents[which] = new (secure ? loadHttps() : loadHttp()).Agent({ keepAlive: true }));
    resources.add({ destroy: () => made.destroy() });
  }
  return agent;
}
