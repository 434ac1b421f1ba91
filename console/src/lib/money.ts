import { formatMoney } from '../../../shared/domain/money';

/** An amount as the quote shows it ("1,234.50 EUR"), or a dash when there is none. */
export function money(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  try {
    return formatMoney(amount, currency ?? 'EUR');
  } catch {
    return amount;
  }
}
