import { containerPoliciesOf, findTarget, isVpa, vpaTargetRef } from '../autoscaling';
import { closest, listNames } from '../similar';
import { defineRule, resourceRelated } from './rule';

/** Containers that admission webhooks add to pods (service meshes, secret agents, telemetry): never in the template. */
const INJECTED_SIDECARS = new Set([
  'istio-proxy', 'istio-init', 'istio-validation', 'linkerd-proxy', 'linkerd-init', 'vault-agent', 'vault-agent-init',
  'consul-dataplane', 'consul-connect-envoy-sidecar', 'envoy', 'envoy-sidecar', 'kuma-sidecar', 'kuma-init', 'daprd',
  'otc-container', 'gke-gcsfuse-sidecar', 'cloud-sql-proxy', 'cloudsql-proxy', 'datadog-agent', 'aws-appmesh-envoy',
]);

/** Does the pod template ask a webhook to inject containers (sidecar.istio.io/inject, linkerd.io/inject, vault.hashicorp.com/agent-inject…)? */
function injectsSidecars(metadata: unknown): boolean {
  if (!metadata || typeof metadata !== 'object') return false;
  const m = metadata as Record<string, unknown>;
  for (const field of ['annotations', 'labels']) {
    const map = m[field];
    if (!map || typeof map !== 'object') continue;
    for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
      if (/inject/i.test(k) && !/^(false|disabled)$/i.test(String(v))) return true;
    }
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'vpa-container-unknown',
    severity: 'warning',
    description: "A VPA containerPolicies entry names no container of the VPA's target (and is not `*`).",
    why: 'The VPA matches container policies to containers by name. A policy whose name matches no container (a typo, a renamed container) is silently ignored: its minAllowed/maxAllowed bounds and its `mode: "Off"` never apply, and the container falls under the default policy instead, so recommendations can go below or above the limits the team chose. The rule checks the policies against the containers of the target workload when the workspace defines it.',
    fixable: false,
    criteria: ['SC-003'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      if (!isVpa(res)) continue;
      const policies = containerPoliciesOf(res);
      if (policies.length === 0) continue;
      const ref = vpaTargetRef(res);
      const target = ref && findTarget(ctx.index, res.namespace, ref);
      if (!target || target.containers.length === 0) continue;
      const names = target.containers.map((c) => c.name).filter(Boolean);
      // Init containers count as known: VPA support for (sidecar) init containers is arriving, and naming one is no typo.
      const known = new Set([...names, ...target.initContainers.map((c) => c.name)]);
      const injects = injectsSidecars(target.resource.get([...target.templatePath, 'metadata']));
      for (const p of policies) {
        if (p.containerName === undefined || p.containerName === '*' || known.has(p.containerName)) continue;
        if (INJECTED_SIDECARS.has(p.containerName)) continue;
        const guess = closest(p.containerName, names);
        // Pods that get sidecars from an admission webhook have containers the template does not show: only a typo is sure.
        if (injects && !guess) continue;
        const container = guess ? target.containers.find((c) => c.name === guess) : undefined;
        ctx.report({
          resource: res,
          range: res.rangeOf([...p.path, 'containerName']),
          message: `VerticalPodAutoscaler ${res.name} has a container policy for "${p.containerName}", but ${target.resource.kind} ${target.resource.name} has no such container (${listNames(names)}): the VPA ignores the policy and its bounds never apply.${guess ? ` Did you mean ${guess}?` : ''}`,
          related: [
            container
              ? resourceRelated(target.resource, `Container ${guess}`, target.resource.rangeOf([...container.path, 'name']))
              : resourceRelated(target.resource, `${target.resource.kind} ${target.resource.name}`, target.resource.rangeOf(['metadata', 'name'])),
          ],
        });
      }
    }
  },
});
