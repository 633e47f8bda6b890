// Formatting numbers, sizes and durations for people.

const nf = new Intl.NumberFormat("en-US");

export function count(n: number | null | undefined): string {
  return n == null ? "–" : nf.format(n);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const p = (100 * part) / whole;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

export function ms(n: number): string {
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`;
}

/** An error from a command, as one line for people. */
export function errorText(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** A stored date for reading: `2015-06-01`, `2015-06`, or `2015-06-01 09:22 UTC` for times. */
export function date(d: string | null | undefined): string {
  if (!d) return "undated";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?Z$/.exec(d);
  if (!m) return d;
  return `${m[1]} ${m[2]}${m[3] && m[3] !== "00" ? ":" + m[3] : ""} UTC`;
}
