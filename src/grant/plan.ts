/**
 * A plan is the list of steps a command would take, each read from the current state: what
 * resource, whether it is created, changed, deleted or already right, and the exact JSON it sends.
 * Applying runs the steps in order; every step re-reads nothing, so a rerun plans afresh.
 */
export type ChangeKind = 'create' | 'update' | 'delete' | 'no-change';

export interface Step {
  /** e.g. "s3 bucket policy: my-bucket" */
  resource: string;
  kind: ChangeKind;
  /** One line: what changes and why. */
  summary: string;
  /** The exact request body (policies, configurations) — never carries the external ID. */
  document?: unknown;
  apply?: () => Promise<void>;
}

const marks: Record<ChangeKind, string> = { create: '+', update: '~', delete: '-', 'no-change': '=' };

export function pendingSteps(steps: Step[]): Step[] {
  return steps.filter((step) => step.kind !== 'no-change');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => pad + line).join('\n');
}

export function renderPlan(title: string, steps: Step[]): string {
  const lines = [title];
  for (const step of steps) {
    lines.push(`${marks[step.kind]} ${step.kind.padEnd(9)} ${step.resource}`);
    lines.push(indent(step.summary, 14));
    if (step.document !== undefined && step.kind !== 'no-change') lines.push(indent(JSON.stringify(step.document, null, 2), 14));
  }
  const pending = pendingSteps(steps);
  const count = (kind: ChangeKind) => pending.filter((step) => step.kind === kind).length;
  lines.push(
    pending.length === 0
      ? 'Plan: nothing to change.'
      : `Plan: ${count('create')} to create, ${count('update')} to change, ${count('delete')} to delete.`,
  );
  return lines.join('\n') + '\n';
}

export function planJson(steps: Step[]): Array<Omit<Step, 'apply'>> {
  return steps.map(({ resource, kind, summary, document }) => ({ resource, kind, summary, ...(document !== undefined ? { document } : {}) }));
}

/** Apply pending steps in order, reporting each on the progress stream. */
export async function applySteps(steps: Step[], progress: (line: string) => void): Promise<void> {
  for (const step of pendingSteps(steps)) {
    progress(`${step.kind === 'delete' ? 'deleting' : step.kind === 'create' ? 'creating' : 'updating'} ${step.resource} …`);
    await step.apply?.();
    progress(`  done: ${step.resource}`);
  }
}
