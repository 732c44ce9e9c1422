// Images of the model's size as plain pixel arrays, and PNG files of exactly that many channels.
//
// A picture here is {width, height, channels, data}: data is a Uint8ClampedArray of width × height × channels
// bytes, row-major, channels interleaved (gray: 1, colour: 3). The server takes an upload of the model's own
// channel count only (a 1-channel model refuses an RGB PNG), and a canvas always encodes RGBA, so the PNGs
// are written here: 8-bit gray (colour type 0) or RGB (colour type 2), stored (uncompressed) deflate blocks.

export function picture(width, height, channels, data) {
  return {width, height, channels, data: data || new Uint8ClampedArray(width * height * channels)};
}

/** Gray as the server computes it for colour uploads: round((R + G + B) / 3) (serve/ImageCodec.pixels). */
export function toGray(p) {
  if (p.channels === 1) {
    return p;
  }
  const out = picture(p.width, p.height, 1);
  for (let i = 0, n = p.width * p.height; i < n; i++) {
    out.data[i] = Math.round((p.data[3 * i] + p.data[3 * i + 1] + p.data[3 * i + 2]) / 3);
  }
  return out;
}

export function withChannels(p, channels) {
  if (p.channels === channels) {
    return p;
  }
  if (channels === 1) {
    return toGray(p);
  }
  const out = picture(p.width, p.height, 3);
  for (let i = 0, n = p.width * p.height; i < n; i++) {
    out.data[3 * i] = out.data[3 * i + 1] = out.data[3 * i + 2] = p.data[i];
  }
  return out;
}

function fromImageData(img, channels) {
  const p = picture(img.width, img.height, channels);
  for (let i = 0, n = img.width * img.height; i < n; i++) {
    if (channels === 1) {
      p.data[i] = Math.round((img.data[4 * i] + img.data[4 * i + 1] + img.data[4 * i + 2]) / 3);
    } else {
      p.data[3 * i] = img.data[4 * i];
      p.data[3 * i + 1] = img.data[4 * i + 1];
      p.data[3 * i + 2] = img.data[4 * i + 2];
    }
  }
  return p;
}

export function toImageData(p) {
  const img = new ImageData(p.width, p.height);
  for (let i = 0, n = p.width * p.height; i < n; i++) {
    const c = p.channels;
    img.data[4 * i] = p.data[c * i];
    img.data[4 * i + 1] = p.data[c * i + (c === 3 ? 1 : 0)];
    img.data[4 * i + 2] = p.data[c * i + (c === 3 ? 2 : 0)];
    img.data[4 * i + 3] = 255;
  }
  return img;
}

/** Draws a picture onto a canvas of its own size (scaled by CSS). */
export function draw(p, canvas) {
  canvas.width = p.width;
  canvas.height = p.height;
  canvas.getContext('2d').putImageData(toImageData(p), 0, 0);
}

/** Any image file the browser decodes, centre-cropped to a square and resized to side × side. */
export async function fromFile(file, side, channels) {
  const bitmap = await createImageBitmap(file);
  const s = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = side;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, (bitmap.width - s) / 2, (bitmap.height - s) / 2, s, s, 0, 0, side, side);
  bitmap.close();
  return fromImageData(ctx.getImageData(0, 0, side, side), channels);
}

/** A base64 PNG (as the API answers) decoded to pixels. */
export async function fromBase64Png(b64, channels) {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.drawImage(img, 0, 0);
  return fromImageData(ctx.getImageData(0, 0, canvas.width, canvas.height), channels);
}

// --- PNG encoding --------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes) {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(v) {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

function chunk(type, data) {
  const body = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) {
    body[i] = type.charCodeAt(i);
  }
  body.set(data, 4);
  return [...u32(data.length), ...body, ...u32(crc32(body))];
}

/** zlib (RFC 1950) around stored deflate blocks (RFC 1951 §3.2.4): no compression, no dependency. */
function zlibStored(raw) {
  const out = [0x78, 0x01];
  for (let at = 0; at < raw.length || at === 0; at += 65535) {
    const len = Math.min(65535, raw.length - at);
    out.push(at + len >= raw.length ? 1 : 0, len & 255, len >>> 8, ~len & 255, (~len >>> 8) & 255);
    for (let i = 0; i < len; i++) {
      out.push(raw[at + i]);
    }
    if (raw.length === 0) {
      break;
    }
  }
  out.push(...u32(adler32(raw)));
  return Uint8Array.from(out);
}

/** An 8-bit PNG of the picture's own channel count (gray or RGB). */
export function png(p) {
  const row = p.width * p.channels;
  const raw = new Uint8Array((row + 1) * p.height);
  for (let y = 0; y < p.height; y++) {
    raw[y * (row + 1)] = 0; // filter: none
    raw.set(p.data.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  }
  const ihdr = [...u32(p.width), ...u32(p.height), 8, p.channels === 1 ? 0 : 2, 0, 0, 0];
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', Uint8Array.from(ihdr)),
    ...chunk('IDAT', zlibStored(raw)), ...chunk('IEND', new Uint8Array(0))]);
}

export function base64Png(p) {
  const bytes = png(p);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
