import {
  declaredPorts,
  declaresPortName,
  declaresPortNumber,
  hasPlaceholderPorts,
  isPortName,
  serviceOf,
  servingContainers,
  asSelector,
} from '../selection';
import { podsSelectedBy } from '../views';
import { defineRule, resourceRelated } from './rule';

/** Workloads listed in a message at most. */
const MAX_LISTED = 5;

export default defineRule({
  meta: {
    id: 'service-target-port-unknown',
    severity: 'warning',
    description: "A Service's targetPort (a name, or a number where the pods declare the port's name elsewhere) is no container port of the pods it selects.",
    why: 'A Service forwards each port to its targetPort on the selected pods (no targetPort means the same number as `port`). A named targetPort is looked up in each pod\'s declared container ports: when none of the selected pods declares that name, the port has no endpoints and every connection fails. A numeric targetPort reaches the pod whether or not a container declares it (declared ports are informational, and operators, metrics and health endpoints often listen on undeclared ports), so opex reports a number only when it is certain: no selected pod declares that number, but they declare the Service port\'s own name on another one — the classic `name: http, port: 80` without `targetPort` in front of a container whose port `http` is 8080. Services whose selector matches no workload in the workspace, and pods whose ports are template placeholders, are not checked.',
    fixable: false,
    criteria: [],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const svc = serviceOf(res);
      if (!svc?.selector) continue;
      const selected = podsSelectedBy(ctx.index, res.namespace, asSelector(svc.selector));
      if (selected.length === 0) continue;
      // What the selected pods declare, for the message: the first few (a Service may select thousands of copies).
      const podsList = () => {
        const shown = selected.slice(0, MAX_LISTED).map((w) => `${w.resource.kind} ${w.resource.name} declares ${declaredPorts(w)}`).join('; ');
        return selected.length > MAX_LISTED ? `${shown}; and ${selected.length - MAX_LISTED} more` : shown;
      };
      const related = selected.slice(0, 3).map((w) => {
        const c = servingContainers(w).find((x) => x.ports.length > 0) ?? w.containers[0];
        const range = c ? w.resource.keyRange([...c.path, 'ports']) : w.resource.keyRange(w.templatePath);
        return resourceRelated(w.resource, `${w.resource.kind} ${w.resource.name} declares ${declaredPorts(w)}`, range);
      });
      if (selected.some(hasPlaceholderPorts)) continue;
      for (const p of svc.ports) {
        const written = p.targetPort !== undefined;
        const target = written ? p.targetPort : p.port;
        if (target === undefined) continue;
        const portPath = ['spec', 'ports', p.index, written ? 'targetPort' : 'port'];
        const label = p.name ? `port ${p.name}` : `port ${p.port ?? p.index}`;
        if (typeof target === 'string') {
          // Digits-only strings and invalid names are rejected by validation (the schema's finding) or are placeholders.
          if (!isPortName(target) || selected.some((w) => declaresPortName(servingContainers(w), target))) continue;
          ctx.report({
            resource: res,
            range: res.rangeOf(portPath),
            message: `The ${label} of Service ${res.name} targets the named port ${target}, but no pod it selects declares a container port of that name (${podsList()}). Kubernetes resolves a named targetPort in each pod's ports, so this port has no endpoints and connections to it fail.`,
            related,
          });
          continue;
        }
        // A number: only when the pods declare the Service port's own name on another number (a container may listen on undeclared ports).
        if (!p.name || selected.some((w) => declaresPortNumber(w, target))) continue;
        const namesake = selected
          .flatMap((w) => servingContainers(w).flatMap((c) => c.ports.filter((cp) => cp.name === p.name && typeof cp.containerPort === 'number')))
          .map((cp) => cp.containerPort!);
        if (namesake.length === 0) continue;
        const how = written ? `targets port ${target}` : `has no targetPort, so it forwards to the same port ${target}`;
        ctx.report({
          resource: res,
          range: res.rangeOf(portPath),
          message: `The ${label} of Service ${res.name} ${how}, but the pods it selects declare their port ${p.name} on ${[...new Set(namesake)].join(', ')} and nothing on ${target} (${podsList()}). Connections reach a port nobody declared: write \`targetPort: ${p.name}\`.`,
          related,
        });
      }
    }
  },
});
