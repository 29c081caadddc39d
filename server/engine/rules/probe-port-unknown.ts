import { PROBE_KINDS, workloadOf, type Container } from '../model';
import { formatPorts, hasPlaceholderPorts, isPortName } from '../selection';
import { defineRule, resourceRelated } from './rule';

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

function containerPorts(c: Container): string {
  return formatPorts([c]);
}

const EFFECT: Record<string, string> = {
  readinessProbe: 'the container never becomes ready, so it never receives traffic',
  livenessProbe: 'the kubelet restarts the container again and again',
  startupProbe: 'the container never finishes starting and is restarted again and again',
};

export default defineRule({
  meta: {
    id: 'probe-port-unknown',
    severity: 'warning',
    description: "A probe uses a port name its container does not declare.",
    why: 'The kubelet resolves a named probe port (`port: http`) in the container\'s own declared ports: a name the container does not declare makes the probe fail every time, so a readiness probe keeps the pod out of its Service and a liveness probe restarts it forever. A numeric port is probed whether or not the container declares it (declared ports are informational, and health ports such as 10254 or 8081 are often left undeclared), so numbers are never reported. A name that is no valid port name (`PORT`, `${PORT}`) is a template placeholder and is left alone.',
    fixable: false,
    criteria: ['SC-008', 'SC-009'],
    scope: 'file',
    needsSpec: false,
  },
  check(ctx) {
    for (const res of ctx.resources) {
      const w = workloadOf(res);
      if (!w) continue;
      for (const c of [...w.containers, ...w.initContainers]) {
        for (const kind of PROBE_KINDS) {
          const probe = c.probes[kind];
          if (!probe) continue;
          for (const handler of HANDLERS) {
            const h = probe[handler];
            if (!h || typeof h !== 'object') continue;
            const port = h.port;
            // A number is probed whether or not the container declares it (health ports are often undeclared): never reported.
            if (typeof port !== 'string' || !isPortName(port) || c.ports.some((p) => p.name === port)) continue;
            if (hasPlaceholderPorts(w)) continue;
            const path = [...c.path, kind, handler, 'port'];
            const who = `container ${c.name} of ${res.kind} ${res.name}`;
            const related = [resourceRelated(res, `Ports of container ${c.name}: ${containerPorts(c)}`, res.keyRange(c.ports.length > 0 ? [...c.path, 'ports'] : [...c.path, 'name']))];
            ctx.report({
              resource: res,
              range: res.rangeOf(path),
              message: `The ${kind} of ${who} uses the port name ${port}, but the container declares no port of that name (it declares ${containerPorts(c)}). The kubelet resolves a named probe port in the container's own ports, so the probe always fails: ${EFFECT[kind]}.`,
              related,
            });
          }
        }
      }
    }
  },
});
