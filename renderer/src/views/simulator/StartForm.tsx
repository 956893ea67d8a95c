/**
 * The start form: a profile, then the fleet's size, rate and timing — exactly what `simulator.start`
 * takes — checked against the admin API's bounds as typed, so bad input shows before anything is
 * sent. A refused start (409 while a fleet runs) is shown beside the button with the server's words.
 */
import { useId, useMemo } from 'react';
import type { FormEvent } from 'react';
import { SIM_PROFILES } from '../../../../shared/admin/simulator-model.js';
import { useSession } from '../../stores/session.store.js';
import { editSimDraft, startFleet, useSimulatorForm } from '../../stores/simulator-form.store.js';
import type { SimDraft, SimField } from '../../stores/simulator.model.js';
import { isActive } from '../../stores/simulator-run.model.js';
import { checkDraft, describePlan, fieldRange, PROFILE_HINTS } from '../../stores/simulator.model.js';
import { useSimulator } from '../../stores/simulator.store.js';
import { useActionBlock } from '../../stores/staleness.js';

interface FieldSpec {
  field: SimField;
  label: string;
  /** Shown after the input. */
  unit?: string;
  /** What the figure means, after its range. */
  hint: string;
  inputMode: 'numeric' | 'decimal' | 'text';
  placeholder: string;
}

const FIELDS: FieldSpec[] = [
  { field: 'clients', label: 'Clients', unit: 'bots', hint: 'one WebSocket each', inputMode: 'numeric', placeholder: '1000' },
  { field: 'channels', label: 'Channels', hint: 'rooms or feeds; bot i joins channel i mod N', inputMode: 'numeric', placeholder: '50' },
  { field: 'rate', label: 'Rate', unit: '/s per channel', hint: 'publications; 0 = connections only', inputMode: 'decimal', placeholder: '1' },
  { field: 'ramp', label: 'Ramp-up', hint: 'bots start evenly over it', inputMode: 'text', placeholder: '10s' },
  { field: 'duration', label: 'Duration', hint: 'the whole run, ramp included', inputMode: 'text', placeholder: '60s' },
];

export function StartForm() {
  const draft = useSimulatorForm((s) => s.draft);
  const starting = useSimulatorForm((s) => s.starting);
  const refusal = useSimulatorForm((s) => s.refusal);
  const runningId = useSimulator((s) => (s.status && isActive(s.status.state) ? s.status.id : null));
  const connected = useSession((s) => s.link === 'connected');
  const check = useMemo(() => checkDraft(draft), [draft]);
  const blocked = useActionBlock();
  const canStart = check.ok && !starting && runningId === null && connected && blocked === null;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (canStart && check.ok) void startFleet(check.params);
  };

  return (
    <form className="card sim-form" aria-label="Start a fleet" onSubmit={submit} noValidate>
      <div className="sim-card-head">
        <h2>Start a fleet</h2>
        <span className="muted">Durations take a unit — 30s, 2m, 1h30m; a bare number is seconds.</span>
      </div>
      <div className="sim-profiles" role="radiogroup" aria-label="Profile">
        {SIM_PROFILES.map((p) => (
          <button key={p} type="button" role="radio" aria-checked={draft.profile === p} className={`sim-profile${draft.profile === p ? ' on' : ''}`}
            onClick={() => editSimDraft({ profile: p })}>
            <span className="sim-profile-name">{p}</span>
            <span className="sim-profile-hint">{PROFILE_HINTS[p]}</span>
          </button>
        ))}
      </div>
      <div className="sim-fields">
        {FIELDS.map((f) => <Field key={f.field} spec={f} value={draft[f.field]} error={check.ok ? undefined : check.errors[f.field]} />)}
      </div>
      <div className="sim-form-foot">
        <div className="sim-plan" aria-live="polite">
          {check.ok
            ? <p className="hint" data-testid="sim-plan">{describePlan(check.params)}</p>
            : <p className="form-error">Correct the fields marked in red to start a fleet.</p>}
          {check.ok ? check.warnings.map((w) => <p key={w} className="sim-warning">{w}</p>) : null}
          {runningId !== null ? <p className="hint">{runningId} is running, and the cluster runs one fleet at a time: stop it below first.</p> : null}
          {!connected ? <p className="form-error">Not connected to the cluster.</p> : null}
          {refusal ? <p className="form-error sim-refusal" role="alert" data-testid="sim-refusal">{refusal}</p> : null}
        </div>
        <button type="submit" className="primary" disabled={!canStart} title={blocked ?? undefined}>{starting ? 'Starting…' : 'Start fleet'}</button>
      </div>
    </form>
  );
}

function Field({ spec, value, error }: { spec: FieldSpec; value: string; error: string | undefined }) {
  const id = useId();
  return (
    <div className={`sim-field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      <div className="sim-input">
        <input id={id} type="text" inputMode={spec.inputMode} value={value} placeholder={spec.placeholder} spellCheck={false} autoComplete="off"
          aria-invalid={error !== undefined} aria-describedby={`${id}-hint`} onChange={(e) => editField(spec.field, e.target.value)} />
        {spec.unit ? <span className="sim-unit" aria-hidden="true">{spec.unit}</span> : null}
      </div>
      <span id={`${id}-hint`} className="sim-field-hint">
        {error ? <span className="form-error" role="alert" data-testid={`sim-error-${spec.field}`}>{error}. </span> : null}
        <span className="hint">{fieldRange(spec.field)} · {spec.hint}</span>
      </span>
    </div>
  );
}

function editField(field: SimField, text: string): void {
  const patch: Partial<SimDraft> = {};
  patch[field] = text;
  editSimDraft(patch);
}
