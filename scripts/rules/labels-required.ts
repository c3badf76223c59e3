// Every object carries the app.kubernetes.io labels, and a component's objects name the component folder they sit in (D-22).
import { finding, type Rule } from '../lib/validate/types.ts';
import { waveOf } from './lib/access.ts';

const REQUIRED = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];
const COMPONENT = 'app.kubernetes.io/component';

export const rule: Rule = {
  id: 'labels-required',
  layer: 'policy',
  description: 'Objects carry app.kubernetes.io/{name,component,part-of,managed-by}; component matches the folder',
  check: (ctx) =>
    ctx.docs.flatMap((d) => {
      const labels = d.object.metadata.labels ?? {};
      const missing = REQUIRED.filter((key) => !labels[key]).map((key) => finding(d, 'labels-required', `metadata.labels.${key}`, `label ${key} is missing`));
      const component = labels[COMPONENT];
      // Only component folders have a wave; apps/ and bootstrap/ hold objects of every component.
      const misfiled = component !== undefined && waveOf(d) !== undefined && component !== d.component;
      return misfiled
        ? [...missing, finding(d, 'labels-required', `metadata.labels.${COMPONENT}`, `component label ${component} but the object is rendered under ${d.component}/`)]
        : missing;
    }),
};
