// Today as `YYYY-MM-DD` in UTC: the fallback for "now" when neither --now nor as_of is given.
// Its own module, free of dayjs, because the fast paths of `check` need only this.
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
