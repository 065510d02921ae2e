/**
 * The operator's look for the consumer portal (PORTAL_TITLE, PORTAL_ACCENT_COLOR, PORTAL_LOGO_URL, PORTAL_THEME): the
 * page is the platform's, shown to its customers, often inside its own product, so it should wear the platform's
 * brand, not Hookline's. Pure: the service reads the configuration once and serves what this makes.
 */
export type PortalTheme = 'auto' | 'light' | 'dark';

export interface PortalBranding {
  /** Shown in the top bar and the browser tab. */
  title: string;
  /** `#rrggbb`; null: the page's own blue. */
  accentColor: string | null;
  /** An https: image URL or a data:image/… URL; null: the page's own mark. */
  logoUrl: string | null;
  /** When the link does not ask for one (`?theme=`). */
  theme: PortalTheme;
}

export const DEFAULT_BRANDING: PortalBranding = { title: 'Webhooks', accentColor: null, logoUrl: null, theme: 'auto' };

/** PORTAL_ACCENT_COLOR: a 6-digit hex colour, or empty. */
export const ACCENT_COLOR = /^(#[0-9a-fA-F]{6})?$/;
/**
 * PORTAL_LOGO_URL: an https URL, or an inline raster or SVG image (an <img> never runs an SVG's scripts), or empty.
 * No http: the page would then load an image over plain HTTP, which browsers block on an https page anyway.
 */
export const LOGO_URL = /^(https:\/\/[^\s"'<>]+|data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+=*)?$/;
/** PORTAL_TITLE: one line of text. */
export const TITLE = /^[^\u0000-\u001f\u007f]{1,60}$/;

type Rgb = [number, number, number];

const parseHex = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
/** `amount` of `other` over `base` (0: base, 1: other). */
const mix = (base: Rgb, other: Rgb, amount: number): Rgb => base.map((c, i) => c + (other[i] - c) * amount) as Rgb;

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
/** The dark palette's surface (portal.css): the accent's tints there are mixed over it. */
const DARK_SURFACE: Rgb = [0x17, 0x1e, 0x28];

/** WCAG relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: Rgb | string, b: Rgb | string): number {
  const [la, lb] = [a, b].map((c) => luminance(typeof c === 'string' ? parseHex(c) : c)).sort((x, y) => y - x);
  return (la + 0.05) / (lb + 0.05);
}

/** White or near-black, whichever reads better on `background` (text on buttons of the accent colour). */
function textOn(background: Rgb): string {
  return contrastRatio(background, WHITE) >= contrastRatio(background, [0x0b, 0x12, 0x20]) ? '#ffffff' : '#0b1220';
}

export interface AccentShades {
  accent: string;
  hover: string;
  soft: string;
  border: string;
  onAccent: string;
}

/**
 * The shades the page draws with, from one colour, for a light and a dark page: a hover a step deeper (darker on
 * light, lighter on dark), a faint tint for selected rows and notes, a border tint, and the text colour buttons need.
 * On dark, a dark brand colour is lifted until it reads on the background (4.5:1, WCAG's figure for text: links and
 * selected tabs are drawn in it). On light it stays as given: it is the operator's brand, and their choice.
 */
export function accentShades(hex: string): { light: AccentShades; dark: AccentShades } {
  const base = parseHex(hex);
  let darkAccent = base;
  for (let lift = 0.1; contrastRatio(darkAccent, DARK_SURFACE) < 4.5 && lift <= 1; lift += 0.1) darkAccent = mix(base, WHITE, lift);
  return {
    light: {
      accent: toHex(base), hover: toHex(mix(base, BLACK, 0.15)), soft: toHex(mix(base, WHITE, 0.9)),
      border: toHex(mix(base, WHITE, 0.65)), onAccent: textOn(base),
    },
    dark: {
      accent: toHex(darkAccent), hover: toHex(mix(darkAccent, WHITE, 0.2)), soft: toHex(mix(DARK_SURFACE, darkAccent, 0.18)),
      border: toHex(mix(DARK_SURFACE, darkAccent, 0.45)), onAccent: textOn(darkAccent),
    },
  };
}

const declarations = (s: AccentShades) =>
  `--accent: ${s.accent}; --accent-hover: ${s.hover}; --accent-soft: ${s.soft}; --accent-border: ${s.border}; --on-accent: ${s.onAccent};`;

/** brand.css: loaded after portal.css, so its variables win; empty when the page keeps its own colours. */
export function brandStylesheet(branding: PortalBranding): string {
  if (!branding.accentColor) return '/* PORTAL_ACCENT_COLOR is not set: the page keeps its own colours. */\n';
  const { light, dark } = accentShades(branding.accentColor);
  return `/* From PORTAL_ACCENT_COLOR (${branding.accentColor}). */\n`
    + `:root { ${declarations(light)} }\n:root[data-theme="dark"] { ${declarations(dark)} }\n`;
}

/** The origin the page may load its logo from (CSP img-src), when the logo is not inline. */
export function logoOrigin(branding: PortalBranding): string | null {
  return branding.logoUrl?.startsWith('https://') ? new URL(branding.logoUrl).origin : null;
}
