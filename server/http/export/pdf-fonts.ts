import { createRequire } from "node:module";

/**
 * The open fonts a PDF embeds (pdfkit subsets them: only the glyphs used go in).
 * Vazirmatn (OFL) for Persian and Arabic, shaped by fontkit's OpenType tables;
 * Noto Sans (OFL) for Latin and Cyrillic, which Vazirmatn lacks. Both come from
 * npm packages that ship TTF files, so nothing is downloaded at run time.
 */
const require = createRequire(import.meta.url);

const pathOf = (spec: string) => require.resolve(spec);

export const PDF_FONTS = {
  arabic: pathOf("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf"),
  arabicBold: pathOf("vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf"),
  latin: pathOf("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  latinBold: pathOf("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
} as const;

export type PdfFontName = keyof typeof PDF_FONTS;

/** Arabic-script letters and digits: drawn with Vazirmatn. */
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;

/** The font a run of text is drawn with. */
export function fontFor(text: string, bold: boolean): PdfFontName {
  if (ARABIC_SCRIPT.test(text)) return bold ? "arabicBold" : "arabic";
  return bold ? "latinBold" : "latin";
}
