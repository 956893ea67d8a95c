#!/usr/bin/env node
// Renders the app icon set from assets/icon.svg (the one source): PNGs at 16…1024 for Linux and the
// window (assets/icons/NxN.png, assets/icon.png = 1024), a PNG-compressed .ico for Windows and an
// .icns for macOS, both assembled here from those PNGs. Needs Debian's rsvg-convert
// (apt-get install -y librsvg2-bin). The outputs are committed; run this after editing the SVG.
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const assets = fileURLToPath(new URL('../assets/', import.meta.url));
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

mkdirSync(`${assets}icons`, { recursive: true });
const png = {};
for (const size of SIZES) {
  const out = `${assets}icons/${size}x${size}.png`;
  execFileSync('rsvg-convert', ['--width', String(size), '--height', String(size), '--output', out, `${assets}icon.svg`]);
  png[size] = readFileSync(out);
}
writeFileSync(`${assets}icon.png`, png[1024]);

// ICO: a directory of PNG images (Windows Vista and later read PNG entries; 256 is stored as 0).
const icoSizes = [16, 24, 32, 48, 64, 128, 256];
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
icoSizes.forEach((size, i) => {
  const at = 6 + 16 * i;
  header.writeUInt8(size === 256 ? 0 : size, at);
  header.writeUInt8(size === 256 ? 0 : size, at + 1);
  header.writeUInt16LE(1, at + 4);
  header.writeUInt16LE(32, at + 6);
  header.writeUInt32LE(png[size].length, at + 8);
  header.writeUInt32LE(offset, at + 12);
  offset += png[size].length;
});
writeFileSync(`${assets}icon.ico`, Buffer.concat([header, ...icoSizes.map((s) => png[s])]));

// ICNS: PNG-backed entries, 1x and 2x (macOS 10.7 and later).
const icnsTypes = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512]];
const chunks = icnsTypes.map(([type, size]) => {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(8 + png[size].length, 4);
  return Buffer.concat([head, png[size]]);
});
const icnsHead = Buffer.alloc(8);
icnsHead.write('icns', 0, 'ascii');
icnsHead.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
writeFileSync(`${assets}icon.icns`, Buffer.concat([icnsHead, ...chunks]));

process.stdout.write(`icons written to ${assets}: icon.png, icons/{${SIZES.map((s) => `${s}x${s}`).join(',')}}.png, icon.ico, icon.icns\n`);
