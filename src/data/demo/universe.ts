import { Rng } from "./rng.js";

/**
 * The synthetic demo universe: two fictional companies per GICS sector plus one
 * broad-market benchmark. Tickers carry a `.DEMO` suffix and names end in
 * " (synthetic)" so nothing here can be mistaken for a real security. Tickers and names
 * are fixed; the statistical parameters (beta, vol, drift, ...) are drawn from the seed.
 */

export interface DemoSymbol {
  symbol: string;
  name: string;
  sector: string;
  exchange: string;
}

export const DEMO_TICKER_PATTERN = /^[A-Z][A-Z0-9]{0,5}\.DEMO$/;
export const BENCHMARK_SYMBOL = "MKT.DEMO";
export const BENCHMARK_SECTOR = "Index";

/** Per-sector ranges the per-symbol parameters are drawn from. Vols are annualised. */
export interface SectorProfile {
  sector: string;
  /** Long-run annualised vol of the sector factor. */
  factorVol: number;
  beta: [number, number];
  /** Target total annualised vol of a member (before earnings jumps). */
  vol: [number, number];
  /** Annualised arithmetic drift. */
  drift: [number, number];
  /** Std dev of the overnight earnings-announcement move. */
  earningsMove: [number, number];
}

export const SECTOR_PROFILES: readonly SectorProfile[] = [
  { sector: "Information Technology", factorVol: 0.13, beta: [1.1, 1.35], vol: [0.28, 0.42], drift: [0.08, 0.16], earningsMove: [0.04, 0.07] },
  { sector: "Health Care", factorVol: 0.12, beta: [0.7, 0.95], vol: [0.22, 0.36], drift: [0.05, 0.11], earningsMove: [0.03, 0.06] },
  { sector: "Financials", factorVol: 0.13, beta: [1.0, 1.25], vol: [0.22, 0.32], drift: [0.05, 0.1], earningsMove: [0.025, 0.04] },
  { sector: "Consumer Discretionary", factorVol: 0.12, beta: [1.0, 1.3], vol: [0.25, 0.4], drift: [0.04, 0.12], earningsMove: [0.04, 0.07] },
  { sector: "Consumer Staples", factorVol: 0.09, beta: [0.5, 0.7], vol: [0.15, 0.22], drift: [0.04, 0.08], earningsMove: [0.02, 0.035] },
  { sector: "Energy", factorVol: 0.2, beta: [0.85, 1.15], vol: [0.3, 0.45], drift: [0.02, 0.09], earningsMove: [0.025, 0.045] },
  { sector: "Industrials", factorVol: 0.11, beta: [0.9, 1.15], vol: [0.2, 0.3], drift: [0.05, 0.1], earningsMove: [0.025, 0.045] },
  { sector: "Utilities", factorVol: 0.11, beta: [0.35, 0.55], vol: [0.15, 0.21], drift: [0.03, 0.07], earningsMove: [0.015, 0.03] },
  { sector: "Materials", factorVol: 0.14, beta: [0.9, 1.2], vol: [0.24, 0.35], drift: [0.03, 0.09], earningsMove: [0.03, 0.05] },
  { sector: "Communication Services", factorVol: 0.12, beta: [0.9, 1.2], vol: [0.24, 0.38], drift: [0.04, 0.12], earningsMove: [0.035, 0.065] },
  { sector: "Real Estate", factorVol: 0.13, beta: [0.7, 0.95], vol: [0.2, 0.3], drift: [0.03, 0.08], earningsMove: [0.015, 0.03] },
];

export const DEMO_UNIVERSE: readonly DemoSymbol[] = [
  { symbol: "NOVA.DEMO", name: "Novabyte Systems Inc. (synthetic)", sector: "Information Technology", exchange: "DEMO (synthetic)" },
  { symbol: "QBIT.DEMO", name: "Quillbit Semiconductor Corp. (synthetic)", sector: "Information Technology", exchange: "DEMO (synthetic)" },
  { symbol: "MEDX.DEMO", name: "Meridex Therapeutics Inc. (synthetic)", sector: "Health Care", exchange: "DEMO (synthetic)" },
  { symbol: "CURA.DEMO", name: "Curalith Health Group (synthetic)", sector: "Health Care", exchange: "DEMO (synthetic)" },
  { symbol: "LDGR.DEMO", name: "Ledgerstone Bancorp (synthetic)", sector: "Financials", exchange: "DEMO (synthetic)" },
  { symbol: "VLTN.DEMO", name: "Vaultline Capital Holdings (synthetic)", sector: "Financials", exchange: "DEMO (synthetic)" },
  { symbol: "RVLR.DEMO", name: "Reveler Outfitters Inc. (synthetic)", sector: "Consumer Discretionary", exchange: "DEMO (synthetic)" },
  { symbol: "WYFR.DEMO", name: "Wayfarer Lodging Group (synthetic)", sector: "Consumer Discretionary", exchange: "DEMO (synthetic)" },
  { symbol: "HRVM.DEMO", name: "Harvestmoor Foods Co. (synthetic)", sector: "Consumer Staples", exchange: "DEMO (synthetic)" },
  { symbol: "PNTW.DEMO", name: "Pantrywell Brands Inc. (synthetic)", sector: "Consumer Staples", exchange: "DEMO (synthetic)" },
  { symbol: "PTRX.DEMO", name: "Petralis Energy Corp. (synthetic)", sector: "Energy", exchange: "DEMO (synthetic)" },
  { symbol: "DPWL.DEMO", name: "Deepwell Drilling Partners (synthetic)", sector: "Energy", exchange: "DEMO (synthetic)" },
  { symbol: "GRDL.DEMO", name: "Girderline Industries Inc. (synthetic)", sector: "Industrials", exchange: "DEMO (synthetic)" },
  { symbol: "AXRW.DEMO", name: "Axlerow Logistics Corp. (synthetic)", sector: "Industrials", exchange: "DEMO (synthetic)" },
  { symbol: "VLMR.DEMO", name: "Voltmere Power & Light Co. (synthetic)", sector: "Utilities", exchange: "DEMO (synthetic)" },
  { symbol: "BRKW.DEMO", name: "Brookwater Utilities Inc. (synthetic)", sector: "Utilities", exchange: "DEMO (synthetic)" },
  { symbol: "ORLD.DEMO", name: "Orelund Mining Ltd. (synthetic)", sector: "Materials", exchange: "DEMO (synthetic)" },
  { symbol: "PLYM.DEMO", name: "Polymera Chemicals Inc. (synthetic)", sector: "Materials", exchange: "DEMO (synthetic)" },
  { symbol: "SGWV.DEMO", name: "Signalwave Media Corp. (synthetic)", sector: "Communication Services", exchange: "DEMO (synthetic)" },
  { symbol: "CHRP.DEMO", name: "Chirpline Networks Inc. (synthetic)", sector: "Communication Services", exchange: "DEMO (synthetic)" },
  { symbol: "ATRP.DEMO", name: "Atrium Parkway Realty Trust (synthetic)", sector: "Real Estate", exchange: "DEMO (synthetic)" },
  { symbol: "CNRS.DEMO", name: "Cornerstead Properties REIT (synthetic)", sector: "Real Estate", exchange: "DEMO (synthetic)" },
  { symbol: BENCHMARK_SYMBOL, name: "Argus Demo Broad Market Index Fund (synthetic)", sector: BENCHMARK_SECTOR, exchange: "DEMO (synthetic)" },
];

/** Long-run annualised vol and drift of the market factor (the benchmark's own return). */
export const MARKET_VOL = 0.15;
export const MARKET_DRIFT = 0.09;

/** The statistical personality of one symbol, drawn from the seed. */
export interface SymbolParams {
  info: DemoSymbol;
  /** Loading on the market factor. */
  beta: number;
  /** Loading on its sector factor (0 for the benchmark). */
  sectorLoading: number;
  /** Target total annualised vol (factor + idiosyncratic). */
  vol: number;
  /** Long-run annualised idiosyncratic vol, chosen so the total hits `vol`. */
  idioVol: number;
  /** Annualised arithmetic drift. */
  drift: number;
  /** Idiosyncratic GARCH(1,1) reaction (alpha) and persistence (beta). */
  garchAlpha: number;
  garchBeta: number;
  earningsMove: number;
  /** Index of the first earnings day (then roughly every 63 sessions). */
  earningsPhase: number;
  startPrice: number;
  /** Typical shares traded per day. */
  baseVolume: number;
}

function profileOf(sector: string): SectorProfile {
  const p = SECTOR_PROFILES.find((s) => s.sector === sector);
  if (!p) throw new Error(`demo universe: no sector profile for "${sector}"`);
  return p;
}

export function drawSymbolParams(seed: number): SymbolParams[] {
  return DEMO_UNIVERSE.map((info) => {
    const rng = new Rng(seed, `params:${info.symbol}`);
    if (info.symbol === BENCHMARK_SYMBOL) {
      return {
        info,
        beta: 1,
        sectorLoading: 0,
        vol: MARKET_VOL,
        idioVol: 0,
        drift: MARKET_DRIFT,
        garchAlpha: 0,
        garchBeta: 0,
        earningsMove: 0,
        earningsPhase: 0,
        startPrice: rng.between(180, 260),
        baseVolume: rng.logBetween(50e6, 90e6),
      };
    }
    const p = profileOf(info.sector);
    const beta = rng.between(...p.beta);
    const sectorLoading = rng.between(0.8, 1.2);
    const vol = rng.between(...p.vol);
    const systematicVar = beta * beta * MARKET_VOL * MARKET_VOL + sectorLoading * sectorLoading * p.factorVol * p.factorVol;
    // Idiosyncratic risk is never negligible for a single stock: floor it at 10%.
    const idioVol = Math.sqrt(Math.max(vol * vol - systematicVar, 0.01));
    // alpha + beta < 1 keeps the variance process stationary around idioVol², and
    // (alpha+beta)² + 8·alpha² < 1 keeps the fourth moment finite under t(5) shocks.
    const garchAlpha = rng.between(0.06, 0.085);
    const persistence = rng.between(0.94, 0.97);
    return {
      info,
      beta,
      sectorLoading,
      vol: Math.sqrt(systematicVar + idioVol * idioVol),
      idioVol,
      drift: rng.between(...p.drift),
      garchAlpha,
      garchBeta: persistence - garchAlpha,
      earningsMove: rng.between(...p.earningsMove),
      earningsPhase: rng.int(0, 62),
      startPrice: rng.logBetween(20, 300),
      baseVolume: rng.logBetween(0.4e6, 25e6),
    };
  });
}
