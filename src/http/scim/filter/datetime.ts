const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Validates an xsd:dateTime (RFC 7643 §2.3.5) strictly enough that PostgreSQL's timestamptz input
 * cannot reject it, and returns it normalised. A missing offset means UTC, not the session time zone. Fractions
 * beyond microseconds (.NET sends seven digits: "14:38:21.8617979-07:00") are cut to the six PostgreSQL keeps.
 */
export function parseDateTime(value: string): string | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  if (year < 1 || month < 1 || month > 12 || Number(d) < 1 || Number(d) > daysIn(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const offset = zone.toUpperCase() === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  if (offset !== "Z" && (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(4)) > 59)) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 7)}${offset}`;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
