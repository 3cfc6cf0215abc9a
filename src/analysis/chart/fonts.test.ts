import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chartFonts, findFonts, resvgFontOptions } from "./fonts.js";

describe("chart fonts", () => {
  it("prefers existing files the caller passes, skipping missing ones", () => {
    const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    expect(findFonts(["/nonexistent/font.ttf"]).files).not.toContain("/nonexistent/font.ttf");
    if (existsSync(dejavu)) expect(findFonts([dejavu])).toEqual({ family: null, files: [dejavu], label: "DejaVuSans.ttf" });
  });

  it("loads only the chosen files, naming the family as the default and sans-serif", () => {
    const choice = chartFonts();
    const opts = resvgFontOptions(choice);
    if (choice.files.length === 0) {
      expect(opts.loadSystemFonts).toBe(true);
      return;
    }
    expect(opts).toMatchObject({ loadSystemFonts: false, fontFiles: choice.files });
    if (choice.family) expect(opts).toMatchObject({ defaultFontFamily: choice.family, sansSerifFamily: choice.family });
  });

  it("falls back to resvg's system scan when no file is known", () => {
    expect(resvgFontOptions({ family: null, files: [], label: null })).toMatchObject({ loadSystemFonts: true });
  });
});
