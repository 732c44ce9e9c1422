// The inpainting mask, drawn with the mouse (or pen, or touch) over the image.
//
// The canvas holds the image at the model's size (one canvas pixel per image pixel, enlarged by CSS);
// painted pixels, those to fill in, are tinted red. The mask sent to the API is a gray PNG: white = known,
// black = fill in (docs/service.md).

import {picture, toImageData} from './pixels.js';

const TINT = [230, 30, 60];
const ALPHA = 0.6;

export class MaskEditor {
  /** @param canvas the drawing surface; onChange(fillCount, total) after every change */
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.image = null;          // the picture under the mask
    this.fill = null;           // Uint8Array (height × width): 1 = fill in, 0 = known
    this.tool = 'brush';
    this.radius = 1;
    this.last = null;
    canvas.addEventListener('pointerdown', e => this.down(e));
    canvas.addEventListener('pointermove', e => this.move(e));
    canvas.addEventListener('pointerup', e => this.up(e));
    canvas.addEventListener('pointercancel', e => this.up(e));
  }

  /** A new image: the mask is cleared. */
  setImage(p) {
    this.image = p;
    this.fill = new Uint8Array(p.width * p.height);
    this.canvas.width = p.width;
    this.canvas.height = p.height;
    this.changed();
  }

  clear() {
    this.apply(() => 0);
  }

  invert() {
    this.apply((x, y, old) => 1 - old);
  }

  leftHalf() {
    this.apply(x => (x < Math.floor(this.image.width / 2) ? 1 : 0));
  }

  centre() {
    const w = this.image.width;
    const lo = Math.floor(w / 4);
    const hi = w - lo;
    this.apply((x, y) => (x >= lo && x < hi && y >= lo && y < hi ? 1 : 0));
  }

  apply(f) {
    if (!this.image) {
      return;
    }
    const w = this.image.width;
    for (let i = 0; i < this.fill.length; i++) {
      this.fill[i] = f(i % w, Math.floor(i / w), this.fill[i]);
    }
    this.changed();
  }

  /** The mask as a gray picture: 255 = known, 0 = fill in. */
  maskPicture() {
    const p = picture(this.image.width, this.image.height, 1);
    for (let i = 0; i < this.fill.length; i++) {
      p.data[i] = this.fill[i] ? 0 : 255;
    }
    return p;
  }

  fillCount() {
    return this.fill ? this.fill.reduce((a, b) => a + b, 0) : 0;
  }

  pixelAt(e) {
    const r = this.canvas.getBoundingClientRect();
    const x = Math.floor((e.clientX - r.left) / r.width * this.image.width);
    const y = Math.floor((e.clientY - r.top) / r.height * this.image.height);
    return [Math.min(this.image.width - 1, Math.max(0, x)), Math.min(this.image.height - 1, Math.max(0, y))];
  }

  down(e) {
    if (!this.image || e.button !== 0) {
      return;
    }
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.pixelAt(e);
    this.stamp(this.last);
    this.changed();
  }

  move(e) {
    if (!this.last) {
      return;
    }
    const p = this.pixelAt(e);
    // a fast stroke skips pixels between two events: stamp along the segment
    const [x0, y0] = this.last;
    const steps = Math.max(Math.abs(p[0] - x0), Math.abs(p[1] - y0), 1);
    for (let s = 1; s <= steps; s++) {
      this.stamp([Math.round(x0 + (p[0] - x0) * s / steps), Math.round(y0 + (p[1] - y0) * s / steps)]);
    }
    this.last = p;
    this.changed();
  }

  up(e) {
    if (this.last && this.canvas.hasPointerCapture(e.pointerId)) {
      this.canvas.releasePointerCapture(e.pointerId);
    }
    this.last = null;
  }

  stamp([cx, cy]) {
    const w = this.image.width;
    const h = this.image.height;
    const r = this.radius;
    const v = this.tool === 'brush' ? 1 : 0;
    for (let y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r + r) {
          this.fill[y * w + x] = v;
        }
      }
    }
  }

  changed() {
    const img = toImageData(this.image);
    for (let i = 0; i < this.fill.length; i++) {
      if (this.fill[i]) {
        for (let c = 0; c < 3; c++) {
          img.data[4 * i + c] = Math.round((1 - ALPHA) * img.data[4 * i + c] + ALPHA * TINT[c]);
        }
      }
    }
    this.canvas.getContext('2d').putImageData(img, 0, 0);
    this.onChange(this.fillCount(), this.fill.length);
  }
}
