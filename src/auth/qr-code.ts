/**
 * QR codes drawn in the Worker as SVG data URLs: a TOTP secret must never be
 * sent to a third-party QR service.
 */
import { renderSVG } from 'uqr';

export function qrCodeDataUrl(text: string): string {
  // Medium error correction survives a slightly blurred phone camera.
  const svg = renderSVG(text, { ecc: 'M', border: 2, pixelSize: 8 });
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
