import type { Project } from '../../api/types';
import { money } from '../../lib/money';
import { Section } from '../../ui/form';
import { TableWrap } from '../../ui/table-wrap';
import { BudgetBar, quantity } from './project-parts';

/** Each task (one per quote line) with its plan beside what was done and spent on it. */
export function TasksTable({ project }: { project: Project }) {
  const { currency } = project;
  return (
    <Section
      id="tasks"
      title="Tasks"
      description={`One per quote line, planned with the line's quantity and net amount. Amounts in ${currency}.`}
    >
      <TableWrap label="Tasks">
        <table class="tasks-table">
          <caption class="visually-hidden">Tasks, planned against actual</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col" class="number">
                Planned
              </th>
              <th scope="col" class="number">
                Done
              </th>
              <th scope="col" class="number">
                Budget
              </th>
              <th scope="col" class="number">
                Spent
              </th>
              <th scope="col" class="number">
                Remaining
              </th>
              <th scope="col">Budget used</th>
            </tr>
          </thead>
          <tbody>
            {project.tasks.map((task) => (
              <tr key={task.taskId} class={task.overBudget ? 'is-over' : undefined}>
                <th scope="row" class="task-name">
                  {task.name}
                </th>
                <td class="number">{quantity(task.plannedQuantity, task.unit)}</td>
                <td class="number">
                  {quantity(task.actualQuantity, task.unit)}
                  {task.overQuantity && <span class="hint">More than planned</span>}
                </td>
                <td class="number">{money(task.budget, currency)}</td>
                <td class="number">{money(task.actualCost, currency)}</td>
                <td class="number">{money(task.remainingBudget, currency)}</td>
                <td>
                  <BudgetBar
                    label={`Budget used: ${task.name}`}
                    percent={task.costUsedPercent}
                    over={task.overBudget}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Section>
  );
}
