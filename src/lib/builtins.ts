// Node built-in modules loaded on first use. A bundle's static imports all
// load at start-up; the ones here (processes, UDP, DNS, line editing) are
// only needed by some programs, and loading them costs start-up time (fs/promises
// alone, which pulls in readline and the file watchers, cost about 1.5 ms).
import { createRequire } from 'node:module';

// Made on first use too: creating a require function (and the file URL it
// starts from) costs more at start-up than most built-ins.
let required: NodeJS.Require | null = null;
const req = (name: string): any => (required ??= createRequire(import.meta.url))(name);

export const childProcess = (): typeof import('node:child_process') => req('node:child_process');
export const dgram = (): typeof import('node:dgram') => req('node:dgram');
export const dns = (): typeof import('node:dns') => req('node:dns');
export const readline = (): typeof import('node:readline') => req('node:readline');
export const net = (): typeof import('node:net') => req('node:net');
export const crypto = (): typeof import('node:crypto') => req('node:crypto');
export const http = (): typeof import('node:http') => req('node:http');
export const zlib = (): typeof import('node:zlib') => req('node:zlib');
export const https = (): typeof import('node:https') => req('node:https');
export const fsPromises = (): typeof import('node:fs/promises') => req('node:fs/promises');
export const os = (): typeof import('node:os') => req('node:os');
export const tls = (): typeof import('node:tls') => req('node:tls');
export const v8 = (): typeof import('node:v8') => req('node:v8');
/** An installed package, by a name that is only known at run time. */
export const requireModule = (name: string): unknown => req(name);
