import type { Project } from '../../api/types';

/**
 * How much of a budget is spent: a bar with the API's percent beside it. The bar is a native
 * <meter> (the meter role, its value read out with its label), and an overspent budget says so
 * in words and a striped bar, not by colour alone. A budget of nothing has no percent (null).
 */
export function BudgetBar({
  label,
  percent,
  over,
}: {
  label: string;
  percent: string | null;
  over: boolean;
}) {
  if (percent === null) return <span class="muted">Nothing budgeted</span>;
  // The bar stops at its end; the text gives the exact figure beyond it.
  const value = Math.min(Number(percent), 100);
  const text = `${percent}% used${over ? ', over budget' : ''}`;
  return (
    <span class={`budget-bar${over ? ' is-over' : ''}`}>
      <meter min={0} max={100} value={value} aria-label={label} aria-valuetext={text} />
      <span class="budget-bar-text" aria-hidden="true">
        {percent}%{over && <span class="badge bad">Over budget</span>}
      </span>
    </span>
  );
}

export function ProjectStatusBadge({ status }: { status: Project['status'] }) {
  const kind: Record<Project['status'], string> = {
    Planned: '',
    'In progress': 'info',
    Completed: 'ok',
    Cancelled: 'warn',
  };
  return <span class={`badge ${kind[status]}`}>{status}</span>;
}

/** A quantity with its unit, if it has one ("2.5 day"). */
export function quantity(value: string, unit: string | null | undefined): string {
  return unit ? `${value} ${unit}` : value;
}
