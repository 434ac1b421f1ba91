import { malformedQuery } from '../errors';

const DAY = 86_400_000;

/**
 * SOQL date literals as [start, end) in epoch ms, in UTC (the sandbox's users are on GMT).
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */
export function dateLiteralRange(literal: string, n: number | undefined, now: number): [number, number] {
  const today = Math.floor(now / DAY) * DAY;
  const d = new Date(today);
  const monthStart = (offset: number): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  const yearStart = (offset: number): number => Date.UTC(d.getUTCFullYear() + offset, 0, 1);
  // Weeks start on Sunday in the default (en_US) locale.
  const weekStart = (offset: number): number => today - d.getUTCDay() * DAY + offset * 7 * DAY;
  const name = literal.split(':')[0]?.toUpperCase() ?? '';
  const count = n ?? 0;
  switch (name) {
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TODAY':
      return [today, today + DAY];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_WEEK':
      return [weekStart(-1), weekStart(0)];
    case 'THIS_WEEK':
      return [weekStart(0), weekStart(1)];
    case 'NEXT_WEEK':
      return [weekStart(1), weekStart(2)];
    case 'LAST_MONTH':
      return [monthStart(-1), monthStart(0)];
    case 'THIS_MONTH':
      return [monthStart(0), monthStart(1)];
    case 'NEXT_MONTH':
      return [monthStart(1), monthStart(2)];
    case 'LAST_90_DAYS':
      return [today - 90 * DAY, today + DAY];
    case 'NEXT_90_DAYS':
      return [today + DAY, today + 91 * DAY];
    case 'THIS_YEAR':
      return [yearStart(0), yearStart(1)];
    case 'LAST_YEAR':
      return [yearStart(-1), yearStart(0)];
    case 'NEXT_YEAR':
      return [yearStart(1), yearStart(2)];
    case 'LAST_N_DAYS':
      return [today - count * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (count + 1) * DAY];
    case 'N_DAYS_AGO':
      return [today - count * DAY, today - (count - 1) * DAY];
    default:
      throw malformedQuery(`The date literal ${literal} is not supported by this sandbox`);
  }
}
