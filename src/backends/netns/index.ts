/**
 * The namespace backend: realises a Topology as Linux network namespaces (one per node plus
 * a switch holding a bridge per network), runs the lab's services inside them, and tears it
 * all down again. This is the public API other parts of dslab use.
 */
export { up, type UpOptions, type UpResult } from './up.js';
export { down, downAll, type DownOptions, type DownResult } from './down.js';
export { status, listLabs, resolveLab, type LabStatus, type LabSummary, type LabHealth } from './status.js';
export { nodeCommand, runInNode } from './exec.js';
export { labStateDir, loadLabState, stateRoot, readState, type LabState, type ServiceRecord, type ServiceKind } from './state.js';
export { UP_STEPS, type UpStep } from './fail-inject.js';
export { preferredMode, type Mode } from './access.js';
export { planLab, type LabPlan } from './plan.js';
