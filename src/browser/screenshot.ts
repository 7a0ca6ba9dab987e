// A screenshot of the picked element (modern-screenshot renders the DOM through an SVG foreignObject into a
// canvas), with the user's notes and strokes drawn on top, as PNG bytes for the session's artifacts.
import { domToCanvas } from 'modern-screenshot';
import type { Annotations } from './types';
import { HOST_TAG } from './ui/root';

export const SCREENSHOT_NAME = 'element.png';

function drawAnnotations(
  canvas: HTMLCanvasElement,
  scale: number,
  annotations: Annotations | undefined,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || !annotations) return;
  ctx.save();
  ctx.scale(scale, scale);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#ffb547';
  for (const stroke of annotations.strokes ?? []) {
    ctx.beginPath();
    stroke.points.forEach(([x, y], i) => {
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  (annotations.pins ?? []).forEach((pin, i) => {
    const label = `${i + 1}. ${pin.text}`;
    const width = Math.min(220, ctx.measureText(label).width + 12);
    ctx.fillStyle = '#ffb547';
    ctx.beginPath();
    ctx.arc(pin.x, pin.y, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillRect(pin.x, pin.y - 22, width, 18);
    ctx.fillStyle = '#221a05';
    ctx.fillText(label, pin.x + 6, pin.y - 13, width - 12);
  });
  ctx.restore();
}

export async function elementScreenshot(el: Element, annotations: Annotations | undefined): Promise<Blob> {
  const scale = 1;
  const canvas = await domToCanvas(el, {
    scale,
    timeout: 5000,
    // The UI host is outside the element anyway; never capture it if the element is an ancestor of <html>'s UI.
    filter: (node) => !(node instanceof Element && node.localName === HOST_TAG),
  });
  drawAnnotations(canvas, scale, annotations);
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the screenshot could not be encoded'))),
      'image/png',
    );
  });
}
