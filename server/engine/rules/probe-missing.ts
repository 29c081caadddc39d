import { workloadOf, type Container, type Workload } from '../model';
import { isServiceWorkload } from '../scope';
import { portNumber, type ServiceInfo } from '../selection';
import { servicesSelecting } from '../views';
import { defineRule, resourceRelated, specRelated } from './rule';

/** Kinds whose pods serve for as long as they run. */
const SERVING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

/**
 * The containers that receive a Service's traffic: those declaring its targetPort (by name or number); when
 * a numeric targetPort is declared by none, the pod's only container.
 */
function targetedBy(svc: ServiceInfo, w: Workload): Container[] {
  const out = new Set<Container>();
  for (const p of svc.ports) {
    const target = p.targetPort ?? p.port;
    if (target === undefined) continue;
    const num = portNumber(target);
    const hits = w.containers.filter((c) => c.ports.some((cp) => (num === undefined ? cp.name === target : cp.containerPort === num)));
    if (hits.length > 0) hits.forEach((c) => out.add(c));
    else if (num !== undefined && w.containers.length === 1) out.add(w.containers[0]);
  }
  return [...out];
}

export default defineRule({
  meta: {
    id: 'probe-missing',
    severity: 'warning',
    description: "A container of the service that serves traffic (targeted by a Service, or declaring ports) has no readinessProbe.",
    why: 'Without a readiness probe a pod counts as ready the moment its process starts, so during the chapter\'s pod-kill experiment the replacement pod receives requests before the application can answer them, and a pod that stops answering is never taken out of the Service: clients get 5xx, against SC-009 ("no 5xx errors during a single pod failure"). A liveness probe does not help here; it restarts containers but never gates traffic. opex checks the containers of the service\'s workloads that a Service in the workspace targets, or, for pods no Service selects, that declare ports.',
    fixable: false,
    criteria: ['SC-008', 'SC-009'],
    scope: 'workspace',
    runsPer: 'file',
    needsSpec: true,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const w = workloadOf(res);
      if (!w || !SERVING_KINDS.has(res.kind)) continue;
      const loaded = ctx.specFor(res.file);
      if (!loaded || !isServiceWorkload(loaded.spec, w)) continue;
      // Only containers without a readinessProbe can be reported: most workloads are done here, before their Services are looked at.
      if (w.containers.every((c) => c.probes.readinessProbe)) continue;
      const selecting = servicesSelecting(ctx.index, w);
      const served = new Map<Container, string>();
      for (const s of selecting) {
        for (const c of targetedBy(s, w)) if (!served.has(c)) served.set(c, `Service ${s.resource.name} sends it traffic`);
      }
      if (selecting.length === 0) {
        for (const c of w.containers) if (c.ports.length > 0) served.set(c, `it declares port ${c.ports.map((p) => p.name ?? p.containerPort).join(', ')}`);
      }
      for (const [c, why] of served) {
        if (c.probes.readinessProbe) continue;
        const related = [
          ...specRelated(loaded, 'resilience.max5xx', 'The spec allows no 5xx during a pod failure'),
          ...selecting.slice(0, 1).map((s) => resourceRelated(s.resource, `Service ${s.resource.name} selects these pods`, s.resource.keyRange(s.selectorPath))),
        ];
        const sc = loaded.spec.criteria.some((x) => x.id === 'SC-009') ? ' (spec SC-009)' : '';
        const liveness = c.probes.livenessProbe ? ' Its livenessProbe restarts a stuck container but does not keep traffic away from it.' : '';
        ctx.report({
          resource: res,
          range: res.keyRange([...c.path, 'readinessProbe']),
          message: `Container ${c.name} of ${res.kind} ${res.name} serves traffic (${why}) but has no readinessProbe: a new pod gets requests before it can answer them, so killing a pod returns 5xx${sc}.${liveness}`,
          related,
        });
      }
    }
  },
});
