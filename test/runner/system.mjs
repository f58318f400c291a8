// Linux process, port and log-file helpers of the runners: free ports, process trees (/proc),
// killing what we started, reading the tail of a log.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

export function readTail(file, bytes) {
	try {
		const fd = fs.openSync(file, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			const len = Math.min(size, bytes);
			const buf = Buffer.alloc(len);
			fs.readSync(fd, buf, 0, len, size - len);
			return buf.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return '';
	}
}

export function tailLines(text, n) {
	const lines = text.replace(/\s+$/, '').split('\n');
	return lines.slice(-n).join('\n');
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

export function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

export function httpStatus(url, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: timeoutMs }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/** All descendants of `pid` (Linux /proc), deepest last. */
function descendants(pid) {
	const children = new Map();
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return [];
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(e));
		} catch {
			/* gone */
		}
	}
	const out = [];
	const queue = [pid];
	while (queue.length) {
		const p = queue.shift();
		for (const c of children.get(p) || []) {
			out.push(c);
			queue.push(c);
		}
	}
	return out;
}

/** PIDs whose command line mentions `needle` (used with our own unique temp dirs only). */
export function pidsMentioning(needle) {
	const out = [];
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return out;
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
		try {
			if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle)) out.push(Number(e));
		} catch {
			/* gone */
		}
	}
	return out;
}

function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

export function killQuietly(target, signal) {
	try {
		process.kill(target, signal);
	} catch {
		/* already gone */
	}
}

/** Kill a detached child's process group plus any descendant that left it; sync variant for exit handlers. */
export function killTreeSync(pid, extraNeedle) {
	const pids = new Set([...descendants(pid), ...(extraNeedle ? pidsMentioning(extraNeedle) : [])]);
	killQuietly(-pid, 'SIGKILL');
	killQuietly(pid, 'SIGKILL');
	for (const p of pids) killQuietly(p, 'SIGKILL');
}

export async function killTree(pid, extraNeedle, graceMs = 3000) {
	const pids = new Set([...descendants(pid), ...(extraNeedle ? pidsMentioning(extraNeedle) : [])]);
	killQuietly(-pid, 'SIGTERM');
	for (const p of pids) killQuietly(p, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	const anyAlive = () => groupAlive(pid) || [...pids].some(pidAlive);
	while (anyAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
	if (anyAlive()) {
		killQuietly(-pid, 'SIGKILL');
		for (const p of pids) killQuietly(p, 'SIGKILL');
		const d2 = Date.now() + 2000;
		while (anyAlive() && Date.now() < d2) await new Promise((r) => setTimeout(r, 50));
	}
}

export function findFiles(dir, predicate, out = []) {
	let entries = [];
	try {
		entries = fs.readdirSync(dir, { withFileTypes: true });
	} catch {
		return out;
	}
	for (const e of entries) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) findFiles(p, predicate, out);
		else if (predicate(p)) out.push(p);
	}
	return out;
}
