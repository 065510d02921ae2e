import { accentShades, contrastRatio } from './portal-branding';

const DARK_SURFACE = '#171e28';

describe('the accent colour\'s shades', () => {
  it('keeps the colour as given on a light page, with a deeper hover and faint tints', () => {
    const { light } = accentShades('#0A7D55');
    expect(light.accent).toBe('#0a7d55');
    // Deeper: further from white than the accent itself.
    expect(contrastRatio(light.hover, '#ffffff')).toBeGreaterThan(contrastRatio(light.accent, '#ffffff'));
    // Faint: nearly white, so dark text stays readable on a selected row.
    expect(contrastRatio(light.soft, '#ffffff')).toBeLessThan(1.2);
    expect(contrastRatio(light.border, '#ffffff')).toBeLessThan(contrastRatio(light.accent, '#ffffff'));
  });

  it.each(['#0a7d55', '#ffd400', '#2457d6', '#111111', '#e11d48', '#ffffff'])(
    'writes button text on %s in whichever of white and near-black reads better',
    (hex) => {
      const { light, dark } = accentShades(hex);
      for (const s of [light, dark]) {
        const other = s.onAccent === '#ffffff' ? '#0b1220' : '#ffffff';
        expect(contrastRatio(s.onAccent, s.accent)).toBeGreaterThanOrEqual(contrastRatio(other, s.accent));
      }
    },
  );

  it('lifts a dark brand colour on the dark page until it reads as text there (4.5:1), and leaves a bright one alone', () => {
    const navy = accentShades('#14213d').dark;
    expect(contrastRatio(navy.accent, DARK_SURFACE)).toBeGreaterThanOrEqual(4.5);
    expect(navy.accent).not.toBe('#14213d');
    expect(contrastRatio(accentShades('#0a7d55').dark.accent, DARK_SURFACE)).toBeGreaterThanOrEqual(4.5);
    expect(accentShades('#ffd400').dark.accent).toBe('#ffd400');
    // Its tint stays a dark surface: light text on it still reads.
    expect(contrastRatio(navy.soft, '#e6eaf0')).toBeGreaterThan(7);
  });
});
