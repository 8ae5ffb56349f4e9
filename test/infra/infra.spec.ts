/**
 * The topology files under infra/ checked in CI, where no Docker engine or cluster runs: every
 * YAML file parses and validates against the JSON Schemas in infra/schemas/, and the checks that
 * matter more than syntax hold — every variable the api reads is provided, the api waits for
 * healthy stores, api and projector run one build, probes hit paths the api serves, only the api
 * and the projector reach the stores, and nothing runs EventStoreDB without TLS.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { describeConfigVariables, loadConfig } from '../../apps/api/src/config/config';

const ROOT = path.resolve(__dirname, '..', '..');
const INFRA = path.join(ROOT, 'infra');
const COMPOSE_DIR = path.join(INFRA, 'compose');
const K8S_DIR = path.join(INFRA, 'k8s');

const CONFIG_VARIABLES = describeConfigVariables().map((v) => v.name);
const KYOGI_SERVICES = ['api-1', 'api-2', 'projector-1', 'projector-2'];
const STORE_SERVICES = ['esdb-1', 'esdb-2', 'esdb-3', 'postgres-primary', 'postgres-replica', 'redis'];

type Json = Record<string, any>;

function ajvFor(schemaFile: string): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false, strictRequired: false, allowUnionTypes: true });
  ajv.addFormat('ipv4', /^(\d{1,3}\.){3}\d{1,3}$/);
  ajv.addSchema(JSON.parse(readFileSync(path.join(INFRA, 'schemas', schemaFile), 'utf8')));
  return ajv;
}
const composeAjv = ajvFor('compose.schema.json');
const k8sAjv = ajvFor('kubernetes.schema.json');
const validateCompose = composeAjv.getSchema('https://kyogi.example.jp/schemas/compose.schema.json')!;
const K8S_KINDS = ['Namespace', 'ConfigMap', 'Service', 'Deployment', 'StatefulSet', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy'];
const validateK8s = k8sAjv.getSchema('https://kyogi.example.jp/schemas/kubernetes.schema.json')!;
const validateKind = (kind: string): ValidateFunction => k8sAjv.getSchema(`https://kyogi.example.jp/schemas/kubernetes.schema.json#/definitions/${kind}`)!;

/** Errors as readable lines, or [] when valid. */
function errorsOf(validate: ValidateFunction, doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** A Kubernetes document's errors against the definition of its kind (clearer than the top-level oneOf). */
function k8sErrors(doc: Json): string[] {
  if (!K8S_KINDS.includes(doc.kind)) return [`kind ${doc.kind} has no schema in infra/schemas/kubernetes.schema.json`];
  // The kind's own definition names the failing field; the top-level oneOf only says "no branch matched".
  const top = errorsOf(validateK8s, doc);
  if (top.length === 0) return [];
  const own = errorsOf(validateKind(doc.kind), doc);
  return own.length > 0 ? own : top; // e.g. a wrong apiVersion for the kind
}

/** Compose files use merge keys (<<), which YAML 1.1 defines and Compose resolves. */
const loadCompose = (text: string): Json => yaml.load(text, { schema: yaml.YAML11_SCHEMA }) as Json;
const compose = loadCompose(readFileSync(path.join(COMPOSE_DIR, 'compose.yaml'), 'utf8'));

const k8sFiles = readdirSync(K8S_DIR).filter((f) => f.endsWith('.yaml'));
const k8sDocs: { file: string; doc: Json }[] = k8sFiles.flatMap((file) =>
  (yaml.loadAll(readFileSync(path.join(K8S_DIR, file), 'utf8')) as Json[]).filter((doc) => doc !== null).map((doc) => ({ file, doc })),
);
const byKind = (kind: string) => k8sDocs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
const deployment = (component: string) => byKind('Deployment').find((d) => d.spec.template.metadata.labels['app.kubernetes.io/component'] === component)!;

/** KEY=value lines of a .env file (comments and blank lines skipped). */
function parseEnvFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}
const envExampleText = readFileSync(path.join(COMPOSE_DIR, '.env.example'), 'utf8');
const envExample = parseEnvFile(envExampleText);

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}` against an environment, as Compose interpolates. */
function interpolate(value: string, env: Map<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string | undefined) => {
    const given = env.get(name);
    if (given !== undefined && given !== '') return given;
    if (op === '?') throw new Error(`${name} is required: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

/** Paths served by the api's Nest controllers: @Controller('x') + @Get('y') → /x/y. */
function servedPaths(dir: string): Set<string> {
  const paths = new Set<string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const file = path.join(d, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.controller.ts')) {
        const text = readFileSync(file, 'utf8');
        const base = /@Controller\('([^']*)'\)/.exec(text)?.[1] ?? '';
        for (const m of text.matchAll(/@Get\('([^']*)'\)/g)) paths.add(`/${[base, m[1]].filter(Boolean).join('/')}`);
      }
    }
  };
  walk(dir);
  return paths;
}

function labelsMatch(selector: Json | undefined, labels: Json): boolean {
  if (!selector || selector.matchExpressions) return false; // only matchLabels is used here
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function allTextFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    return statSync(file).isDirectory() ? allTextFiles(file) : [file];
  });
}

describe('infra/schemas', () => {
  // The schemas must reject what Docker or the API server would reject or silently drop.
  it('rejects a misspelt compose key, a bad restart policy and a healthcheck without CMD', () => {
    const bad = { services: { api: { image: 'kyogi', restart: 'sometimes', helthcheck: {}, healthcheck: { test: ['curl', 'x'] } } } };
    const errors = errorsOf(validateCompose, bad).join('\n');
    expect(errors).toMatch(/\/services\/api must NOT have additional properties.*helthcheck/);
    expect(errors).toMatch(/\/services\/api\/restart must match pattern/);
    expect(errors).toMatch(/\/services\/api\/healthcheck\/test\/0 must be equal to one of the allowed values/);
  });

  it('rejects a ConfigMap value that is not a string, a misspelt probe and a probe without a handler', () => {
    expect(k8sErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { PORT: 3000 } }).join('\n')).toMatch(/\/data\/PORT must be string/);
    const pod = (container: Json) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', ...container }] } },
      },
    });
    expect(k8sErrors(pod({ readinesProbe: { httpGet: { path: '/health/ready', port: 3000 } } })).join('\n')).toMatch(
      /must NOT have additional properties.*readinesProbe/,
    );
    expect(k8sErrors(pod({ readinessProbe: { periodSeconds: 5 } })).join('\n')).toMatch(/readinessProbe must match exactly one schema in oneOf/);
    expect(k8sErrors(pod({}))).toEqual([]);
  });

  it('rejects an unknown kind and a wrong apiVersion for a known kind', () => {
    expect(k8sErrors({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' } })).toEqual([
      'kind CronJob has no schema in infra/schemas/kubernetes.schema.json',
    ]);
    expect(
      k8sErrors({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: { minAvailable: 1, selector: {} } }),
    ).not.toEqual([]);
  });
});

describe('infra/compose', () => {
  it('validates against the compose schema', () => {
    expect(errorsOf(validateCompose, compose)).toEqual([]);
  });

  it('passes every variable of config.ts to the api and the projector, and nothing else', () => {
    for (const name of KYOGI_SERVICES) {
      const env = Object.keys(compose.services[name].environment);
      expect({ service: name, missing: CONFIG_VARIABLES.filter((v) => !env.includes(v)) }).toEqual({ service: name, missing: [] });
      expect({ service: name, unknown: env.filter((v) => !CONFIG_VARIABLES.includes(v)) }).toEqual({ service: name, unknown: [] });
    }
  });

  it('documents every variable of config.ts in .env.example with a comment above it', () => {
    const lines = envExampleText.split('\n');
    for (const name of CONFIG_VARIABLES) {
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect({ name, listed: index >= 0 }).toEqual({ name, listed: true });
      // The comment may cover a group of related variables, as long as one precedes the group.
      let above = index - 1;
      while (above >= 0 && /^[A-Z][A-Z0-9_]*=/.test(lines[above]!)) above--;
      expect({ name, commented: lines[above]?.startsWith('#') ?? false }).toEqual({ name, commented: true });
    }
  });

  it('gives every ${VAR} compose.yaml interpolates a value in .env.example', () => {
    const text = readFileSync(path.join(COMPOSE_DIR, 'compose.yaml'), 'utf8');
    const required = [...text.matchAll(/\$\{([A-Z0-9_]+)(?::[-?][^}]*)?\}/g)].map((m) => m[1]!);
    expect([...new Set(required)].filter((name) => !envExample.has(name))).toEqual([]);
  });

  it('yields, from .env.example, an environment the api accepts in production', () => {
    const env = Object.fromEntries(
      Object.entries(compose.services['api-1'].environment as Record<string, string>).map(([k, v]) => [k, interpolate(String(v), envExample)]),
    );
    const config = loadConfig(env);
    expect(config.nodeEnv).toBe('production');
    expect(config.runProjections).toBe(false);
    expect(config.eventStoreConnectionString).toMatch(/tls=true/);
    expect(config.eventStoreConnectionString).toMatch(/nodePreference=leader/);
    expect(config.metrics.token).not.toBeNull();
  });

  it('lets the api and the projector start only after every store they use is healthy, and restarts them all', () => {
    for (const name of KYOGI_SERVICES) {
      const service = compose.services[name];
      expect(service.restart).toBe('unless-stopped');
      expect(service.healthcheck.test.join(' ')).toContain('/health/ready');
      for (const [dependency, { condition }] of Object.entries(service.depends_on as Record<string, { condition: string }>)) {
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
        expect({ dependency, healthcheck: Boolean(compose.services[dependency].healthcheck?.test) }).toEqual({ dependency, healthcheck: true });
      }
      expect(Object.keys(service.depends_on).sort()).toEqual(['esdb-1', 'esdb-2', 'esdb-3', 'postgres-primary', 'redis']);
    }
    for (const [name, service] of Object.entries(compose.services as Record<string, Json>)) {
      if (service.profiles) continue; // one-off setup steps
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, healthcheck: Boolean(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
  });

  it('runs api and projector from one image and one build, the projector with its own entry point', () => {
    const images = new Set(KYOGI_SERVICES.map((name) => JSON.stringify([compose.services[name].image, compose.services[name].build])));
    expect(images.size).toBe(1);
    expect(compose.services['api-1'].command).toBeUndefined(); // the image's CMD: the api
    expect(compose.services['projector-1'].command).toEqual(['node', 'dist/apps/projector/src/main.js']);
    const dockerfile = readFileSync(path.join(INFRA, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('CMD ["node", "dist/apps/api/src/main.js"]');
    expect(dockerfile).toMatch(/RUN npm run build/);
  });

  it('puts the stores on an internal network that only the api and the projector share with them', () => {
    expect(compose.networks.stores.internal).toBe(true);
    for (const [name, service] of Object.entries(compose.services as Record<string, Json>)) {
      const networks = Object.keys(service.networks ?? {});
      if (STORE_SERVICES.includes(name)) expect({ name, networks }).toEqual({ name, networks: ['stores'] });
      else if (networks.includes('stores')) expect([...KYOGI_SERVICES, 'esdb-app-user']).toContain(name);
    }
    expect(Object.keys(compose.services.proxy.networks)).toEqual(['edge']);
  });

  it('routes /graphql and /socket.io WebSockets through nginx to both api instances, sticky by client, and never serves /metrics', () => {
    const conf = readFileSync(path.join(COMPOSE_DIR, 'nginx', 'nginx.conf'), 'utf8');
    const upstream = /upstream kyogi_api \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(upstream).toContain('ip_hash;');
    expect([...upstream.matchAll(/server ([\w-]+):3000/g)].map((m) => m[1])).toEqual(['api-1', 'api-2']);
    for (const location of ['/graphql', '/socket.io/']) {
      const block = new RegExp(`location ${location.replace('.', '\\.')} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';
      expect(block).toContain('proxy_pass http://kyogi_api;');
      expect(block).toContain('proxy_set_header Upgrade $http_upgrade;');
      expect(block).toContain('proxy_set_header Connection $connection_upgrade;');
    }
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;/);
  });

  it('mounts only files that exist in the repository (generated certificates and secrets aside)', () => {
    for (const [name, service] of Object.entries(compose.services as Record<string, Json>)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') || /^\.\/(certs|tls|secrets)(\/|$)/.test(source)) continue;
        expect({ name, source, exists: existsSync(path.resolve(COMPOSE_DIR, source)) }).toEqual({ name, source, exists: true });
      }
    }
  });

  it('gives every EventStoreDB node TLS certificates and the CA, and each node its own certificate', () => {
    for (const n of [1, 2, 3]) {
      const env = compose.services[`esdb-${n}`].environment;
      expect(env.EVENTSTORE_CERTIFICATE_FILE).toBe(`/etc/eventstore/certs/node${n}/node.crt`);
      expect(env.EVENTSTORE_TRUSTED_ROOT_CERTIFICATES_PATH).toBe('/etc/eventstore/certs/ca');
      expect(env.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(compose.services[`esdb-${n}`].volumes).toContain(`./certs/node${n}:/etc/eventstore/certs/node${n}:ro`);
    }
  });
});

describe('infra/k8s', () => {
  it.each(k8sDocs.map((d) => [`${d.file}: ${d.doc.kind} ${d.doc.metadata?.name}`, d.doc]))('%s validates against the Kubernetes schema', (_, doc) => {
    expect(k8sErrors(doc as Json)).toEqual([]);
  });

  it('has the objects of the topology', () => {
    const names = k8sDocs.map((d) => `${d.doc.kind}/${d.doc.metadata.name}`);
    for (const expected of [
      'Deployment/kyogi-api',
      'Deployment/kyogi-projector',
      'StatefulSet/eventstoredb',
      'PodDisruptionBudget/kyogi-api',
      'PodDisruptionBudget/kyogi-projector',
      'PodDisruptionBudget/eventstoredb',
      'Ingress/kyogi',
      'ConfigMap/kyogi-config',
      'NetworkPolicy/default-deny-ingress',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('gives the api and the projector every variable of config.ts through the ConfigMap or a Secret, and the same image', () => {
    const configMap = byKind('ConfigMap').find((c) => c.metadata.name === 'kyogi-config')!;
    const images = new Set<string>();
    for (const component of ['api', 'projector']) {
      const container = deployment(component).spec.template.spec.containers[0];
      images.add(container.image);
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'kyogi-config' } }]);
      const fromSecrets = (container.env as Json[]).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
      const provided = new Set([...Object.keys(configMap.data), ...fromSecrets]);
      expect({ component, missing: CONFIG_VARIABLES.filter((v) => !provided.has(v)) }).toEqual({ component, missing: [] });
      expect({ component, unknown: [...provided].filter((v) => !CONFIG_VARIABLES.includes(v)) }).toEqual({ component, unknown: [] });
      // Credentials never sit in the ConfigMap.
      expect(fromSecrets.sort()).toEqual(['DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'METRICS_TOKEN', 'REDIS_URL']);
      // The checkpoint key is mounted where CHECKPOINT_KEY_FILE points.
      const mount = (container.volumeMounts as Json[]).find((m) => m.name === 'checkpoint-key')!;
      expect(configMap.data.CHECKPOINT_KEY_FILE.startsWith(`${mount.mountPath}/`)).toBe(true);
    }
    expect(images.size).toBe(1);
    expect(deployment('projector').spec.template.spec.containers[0].command).toEqual(['node', 'dist/apps/projector/src/main.js']);
  });

  it('yields, from the ConfigMap and Secret keys, an environment the api accepts in production', () => {
    const configMap = byKind('ConfigMap').find((c) => c.metadata.name === 'kyogi-config')!;
    const config = loadConfig({
      ...configMap.data,
      DATABASE_URL: 'postgres://kyogi:pw@postgresql:5432/kyogi',
      EVENTSTORE_CONNECTION_STRING:
        'esdb+discover://kyogi:pw@eventstoredb.kyogi.svc.cluster.local:2113?tls=true&tlsCAFile=/etc/kyogi/esdb-ca/ca.crt&nodePreference=leader',
      REDIS_URL: 'redis://:pw@redis:6379',
      METRICS_TOKEN: 'x'.repeat(40),
    });
    expect(config.runProjections).toBe(false);
    expect(config.metrics.allowFrom).toEqual(['10.0.0.0/8']);
  });

  it('probes paths the api serves, with requests and limits on every container', () => {
    const apiServes = servedPaths(path.join(ROOT, 'apps', 'api', 'src'));
    expect([...apiServes]).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    // The projector serves its paths from a plain node:http server (apps/projector/src/main.ts).
    const projectorServes = new Set(
      [...readFileSync(path.join(ROOT, 'apps', 'projector', 'src', 'main.ts'), 'utf8').matchAll(/path === '(\/[^']+)'/g)].map((m) => m[1]!),
    );
    expect([...projectorServes].sort()).toEqual(['/health/live', '/health/ready', '/metrics']);
    for (const component of ['api', 'projector']) {
      const container = deployment(component).spec.template.spec.containers[0];
      const served = component === 'api' ? apiServes : projectorServes;
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(served).toContain(container[probe].httpGet.path);
    }
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const workload of byKind(kind)) {
        for (const container of workload.spec.template.spec.containers as Json[]) {
          expect({ workload: workload.metadata.name, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual({
            workload: workload.metadata.name,
            requests: ['cpu', 'memory'],
          });
          expect({ workload: workload.metadata.name, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({
            workload: workload.metadata.name,
            limits: ['cpu', 'memory'],
          });
        }
      }
    }
  });

  it('has a PodDisruptionBudget selecting the pods of every workload', () => {
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const workload of byKind(kind).filter((w) => w.spec.replicas > 1)) {
        const labels = workload.spec.template.metadata.labels;
        expect({ workload: workload.metadata.name, pdb: byKind('PodDisruptionBudget').some((p) => labelsMatch(p.spec.selector, labels)) }).toEqual({
          workload: workload.metadata.name,
          pdb: true,
        });
      }
    }
  });

  it('lets only the api and the projector (and a cluster peer) reach each store, on its ports', () => {
    const policies = byKind('NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'default-deny-ingress')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const clients = ['api', 'projector'].map((c) => deployment(c).spec.template.metadata.labels);
    const others = byKind('Deployment')
      .filter((d) => !['api', 'projector'].includes(d.spec.template.metadata.labels['app.kubernetes.io/component']))
      .map((d) => d.spec.template.metadata.labels);
    const stores = byKind('StatefulSet');
    expect(stores.map((s) => s.metadata.name).sort()).toEqual(['eventstoredb', 'postgresql', 'redis']);
    for (const store of stores) {
      const labels = store.spec.template.metadata.labels;
      const ports = (store.spec.template.spec.containers[0].ports as Json[]).map((p) => p.containerPort);
      const selecting = policies.filter((p) => p !== deny && labelsMatch(p.spec.podSelector, labels));
      expect({ store: store.metadata.name, policies: selecting.length }).toEqual({ store: store.metadata.name, policies: 1 });
      const rules = selecting[0]!.spec.ingress as Json[];
      // Every peer is a pod selector matching the api and the projector, or the store's own pods.
      for (const rule of rules) {
        for (const peer of rule.from as Json[]) {
          expect(Object.keys(peer)).toEqual(['podSelector']);
          const ownPods = labelsMatch(peer.podSelector, labels);
          if (!ownPods) {
            for (const client of clients) expect(labelsMatch(peer.podSelector, client)).toBe(true);
            for (const other of others) expect(labelsMatch(peer.podSelector, other)).toBe(false);
            expect(labelsMatch(peer.podSelector, labels)).toBe(false);
          }
        }
        for (const port of rule.ports as Json[]) expect(ports).toContain(port.port);
      }
      // The clients reach the store's client port.
      const clientRule = rules.find((r) => (r.from as Json[]).every((peer) => clients.every((c) => labelsMatch(peer.podSelector, c))))!;
      expect(clientRule).toBeDefined();
    }
  });

  it('routes /graphql and /socket.io to the api with WebSocket timeouts and sticky sessions', () => {
    const ingress = byKind('Ingress')[0]!;
    const paths = ingress.spec.rules[0].http.paths.map((p: Json) => [p.path, p.backend.service.name]);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['/graphql', 'kyogi-api'],
        ['/socket.io', 'kyogi-api'],
      ]),
    );
    expect(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    expect(paths.some(([p]: string[]) => p === '/metrics')).toBe(false);
  });
});

describe('no insecure EventStoreDB anywhere in infra/', () => {
  const files = allTextFiles(INFRA).filter((f) => !f.includes(`${path.sep}schemas${path.sep}`));
  it.each(files.map((f) => [path.relative(ROOT, f), f]))('%s', (_, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/--insecure\b/);
    expect(text).not.toMatch(/\bEVENTSTORE_INSECURE\b\s*[:=]\s*['"]?true/i);
    expect(text).not.toMatch(/\bKURRENTDB_INSECURE\b\s*[:=]\s*['"]?true/i);
    expect(text).not.toMatch(/[?&]tls=false/i);
    expect(text).not.toMatch(/[?&]tlsVerifyCert=false/i);
  });
});
