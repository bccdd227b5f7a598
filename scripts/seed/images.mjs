// Demo photos the seed draws itself: a whole cake for a cover, a slice on a
// plate for the gallery, in the colours of each recipe. Real PNGs (RGB,
// deflate via node:zlib), so every photo URL of the demo shows a picture.
import { crc32, deflateSync } from 'node:zlib';

const WIDTH = 480;
const HEIGHT = 360;

/** A tiny deterministic random source, so a recipe always looks the same. */
export function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const hex = (color) => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

class Canvas {
  constructor(width, height) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 3);
  }
  set(x, y, rgb) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(rgb, (y * this.width + x) * 3);
  }
  /** Fills every pixel for which `inside(x, y)` holds, within a bounding box. */
  fill(x0, y0, x1, y1, inside, color) {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(this.width, Math.ceil(x1)); x++) {
        if (inside(x, y)) this.set(x, y, typeof color === 'function' ? color(x, y) : color);
      }
    }
  }
  ellipse(cx, cy, rx, ry, color) {
    this.fill(cx - rx, cy - ry, cx + rx, cy + ry, (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1, color);
  }
  rect(x0, y0, x1, y1, color) {
    this.fill(x0, y0, x1, y1, () => true, color);
  }
  polygon(points, color) {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    this.fill(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), insidePolygon(points), color);
  }
  png() {
    const stride = this.width * 3;
    const raw = Buffer.alloc((stride + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (stride + 1)] = 0; // filter: none
      raw.set(this.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter set, no interlace
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

/** Even-odd rule: does a horizontal ray from (x, y) cross the outline an odd number of times? */
function insidePolygon(points) {
  return (x, y) => {
    let hit = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  };
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function backdrop(canvas, colors) {
  const top = hex(colors.backdrop);
  const bottom = mix(top, [255, 255, 255], 0.55);
  canvas.rect(0, 0, canvas.width, canvas.height, (_, y) => mix(top, bottom, y / canvas.height));
  // The table.
  canvas.rect(0, canvas.height * 0.78, canvas.width, canvas.height, (_, y) =>
    mix([196, 160, 120], [150, 112, 80], (y / canvas.height - 0.78) * 4),
  );
}

function sprinkles(canvas, next, region, colors, count) {
  const palette = [colors.topping, '#ffffff', '#ffd166', '#ef476f', '#06d6a0'].map(hex);
  for (let i = 0; i < count; i++) {
    const x = region.x0 + next() * (region.x1 - region.x0);
    const y = region.y0 + next() * (region.y1 - region.y0);
    if (region.inside(x, y))
      canvas.ellipse(x, y, 2.5 + next() * 2, 2 + next() * 1.5, palette[Math.floor(next() * palette.length)]);
  }
}

/** A whole round cake: sponge with layers, frosting top with drips, candles. */
export function coverPhoto(colors, seed) {
  const next = random(seed);
  const canvas = new Canvas(WIDTH, HEIGHT);
  backdrop(canvas, colors);
  const cx = WIDTH / 2;
  const [rx, ry, top, bottom] = [150, 42, 150, 270];
  canvas.ellipse(cx, bottom + 12, rx + 40, ry + 14, hex('#f4f4f4')); // plate
  const sponge = hex(colors.sponge);
  const frosting = hex(colors.frosting);
  canvas.rect(cx - rx, top, cx + rx, bottom, (x) => mix(sponge, [60, 40, 30], Math.abs(x - cx) / rx / 3));
  canvas.ellipse(cx, bottom, rx, ry, (x) => mix(sponge, [60, 40, 30], Math.abs(x - cx) / rx / 3));
  for (const layer of [0.4, 0.7]) {
    const y = top + (bottom - top) * layer;
    canvas.fill(
      cx - rx,
      y - 4,
      cx + rx,
      y + ry + 4,
      (x, py) => Math.abs(py - (y + ry * Math.sqrt(Math.max(0, 1 - ((x - cx) / rx) ** 2)))) < 4,
      frosting,
    );
  }
  // Frosting drips over the rim, then the top.
  const drips = Array.from({ length: 9 }, () => 12 + next() * 38);
  canvas.fill(
    cx - rx,
    top,
    cx + rx,
    top + ry + 60,
    (x, y) => {
      const rim = top + ry * Math.sqrt(Math.max(0, 1 - ((x - cx) / rx) ** 2));
      const drip =
        drips[Math.floor(((x - cx + rx) / (2 * rx)) * drips.length) % drips.length] *
        (0.6 + 0.4 * Math.cos(((x - cx) / rx) * Math.PI * drips.length));
      return y <= rim + Math.max(6, drip);
    },
    frosting,
  );
  canvas.ellipse(cx, top, rx, ry, mix(frosting, [255, 255, 255], 0.2));
  sprinkles(
    canvas,
    next,
    {
      x0: cx - rx,
      x1: cx + rx,
      y0: top - ry,
      y1: top + ry,
      inside: (x, y) => ((x - cx) / rx) ** 2 + ((y - top) / ry) ** 2 < 0.8,
    },
    colors,
    70,
  );
  // Candles with flames.
  const candles = 2 + Math.floor(next() * 4);
  for (let i = 0; i < candles; i++) {
    const x = cx - 80 + (160 * (i + 0.5)) / candles;
    const y = top - 4 + (next() - 0.5) * 16;
    canvas.rect(x - 5, y - 56, x + 5, y, hex(['#ef476f', '#118ab2', '#ffd166', '#06d6a0'][i % 4]));
    canvas.ellipse(x, y - 66, 6, 11, hex('#ffb703'));
    canvas.ellipse(x, y - 63, 3, 6, hex('#fff3b0'));
  }
  return canvas.png();
}

/** A slice on a small plate, as a member would photograph their piece. */
export function slicePhoto(colors, seed) {
  const next = random(seed);
  const canvas = new Canvas(WIDTH, HEIGHT);
  backdrop(canvas, colors);
  canvas.ellipse(WIDTH / 2, 268, 190, 60, hex('#fafafa'));
  canvas.ellipse(WIDTH / 2, 268, 150, 44, hex('#eeeeee'));
  const tip = [150 + next() * 20, 250];
  const back = [
    [330, 150],
    [340, 262],
  ];
  const lift = 70;
  const sponge = hex(colors.sponge);
  const frosting = hex(colors.frosting);
  // Side of the slice (the cut face), its layers, then the frosted top and back.
  canvas.polygon([tip, back[1], [back[1][0], back[1][1] - lift], [tip[0], tip[1] - lift]], sponge);
  for (const layer of [0.35, 0.68]) {
    const dy = lift * layer;
    canvas.polygon(
      [
        [tip[0], tip[1] - dy - 4],
        [back[1][0], back[1][1] - dy - 4],
        [back[1][0], back[1][1] - dy + 4],
        [tip[0], tip[1] - dy + 4],
      ],
      frosting,
    );
  }
  const topFace = [
    [tip[0], tip[1] - lift],
    [back[1][0], back[1][1] - lift],
    [back[0][0] + 8, back[0][1] - lift + 40],
    [back[0][0] - 10, back[0][1] - 10],
  ];
  canvas.polygon(topFace, mix(frosting, [255, 255, 255], 0.15));
  canvas.polygon(
    [[back[1][0], back[1][1] - lift], back[1], [back[1][0] + 22, back[1][1] - 12], [back[1][0] + 22, back[1][1] - lift - 18]],
    mix(sponge, [40, 25, 20], 0.3),
  );
  sprinkles(
    canvas,
    next,
    { x0: tip[0], x1: back[1][0], y0: back[0][1] - 10, y1: tip[1] - lift + 12, inside: insidePolygon(topFace) },
    colors,
    25,
  );
  // A fork beside the plate.
  canvas.rect(380, 210, 440, 216, hex('#b0b0b0'));
  for (let i = 0; i < 3; i++) canvas.rect(440, 206 + i * 5, 462, 208 + i * 5, hex('#b0b0b0'));
  return canvas.png();
}
