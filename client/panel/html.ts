/**
 * The side panel's HTML document: a strict Content-Security-Policy (nothing by default; scripts only with this
 * page's nonce; styles and fonts only from the extension's own `dist/panel/` folder, through the webview's
 * resource origin), the bundled codicons and page CSS, the first paint of the state, and the page script.
 * No inline script or style, no remote source. Pure, so tests check the policy without VS Code.
 */
import type { PanelState } from './messages';
import { esc, renderBody } from './render';

export interface PanelAssets {
  /** `webview.cspSource`: the origin the webview serves the extension's local resources from. */
  cspSource: string;
  /** URIs (as `webview.asWebviewUri` gives them) of the bundled files in dist/panel/. */
  script: string;
  style: string;
  codicons: string;
}

/** The Content-Security-Policy of the panel. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A nonce from random bytes (the extension passes crypto.randomBytes(18)). */
export function nonceFrom(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error('a nonce needs at least 16 random bytes');
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''));
}

export function panelHtml(assets: PanelAssets, nonce: string, state: PanelState, open: ReadonlySet<string> = new Set()): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(nonce)) throw new Error('invalid nonce');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(assets.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${esc(assets.codicons)}" nonce="${nonce}">
<link rel="stylesheet" href="${esc(assets.style)}" nonce="${nonce}">
<title>opex live checks</title>
</head>
<body>
${renderBody(state, open)}
<script nonce="${nonce}" src="${esc(assets.script)}"></script>
</body>
</html>
`;
}
