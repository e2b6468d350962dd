/** The demo application: what a team would keep in git for a small web service. */
export const DEMO_APP_PATH = 'apps/guestbook';

export function demoManifests(replicas: number): Record<string, string> {
  return {
    [`${DEMO_APP_PATH}/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook
  labels: {app: guestbook}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: guestbook}
  template:
    metadata:
      labels: {app: guestbook}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          envFrom: [{configMapRef: {name: guestbook-settings}}]
`,
    [`${DEMO_APP_PATH}/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: guestbook
spec:
  selector: {app: guestbook}
  ports: [{port: 80, targetPort: 80}]
`,
    [`${DEMO_APP_PATH}/configmap.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-settings
data:
  GREETING: "Hello from git"
`,
  };
}
