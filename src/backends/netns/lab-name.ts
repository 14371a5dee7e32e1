/**
 * Checks a lab name given on the command line or to the API before it is used in a path
 * or a namespace name (the same rule as lab files: no `-`, so prefixes are unambiguous).
 */
import { DslabError } from '../../errors.js';
import { LAB_NAME, LAB_NAME_HINT } from '../../lab/rules.js';

export function checkLabName(name: string, field = 'lab'): string {
  if (typeof name !== 'string' || !LAB_NAME.test(name)) {
    throw new DslabError('DSLAB_E_LAB_NAME', `Invalid lab name ${JSON.stringify(name)}.`, { field, value: name, hint: LAB_NAME_HINT });
  }
  return name;
}
