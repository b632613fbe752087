{{- define "makegood.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "makegood.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "makegood.selectorLabels" -}}
app.kubernetes.io/name: {{ include "makegood.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "makegood.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "makegood.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* A Job's name from its command and spec file name: lower case, DNS-safe, short enough for its pods' names. */}}
{{- define "makegood.jobName" -}}
{{- $spec := .spec | trimSuffix ".yml" | trimSuffix ".yaml" | lower | replace "_" "-" | replace "." "-" }}
{{- printf "%s-%s-%s" (include "makegood.fullname" .root | trunc 20 | trimSuffix "-") .command $spec | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
The pod of every command: .root is the chart's context, .args the makegood command line, .component a label.
Only the claim server restarts in place; a run's failure is the Job's to retry, with a fresh pod. Only the claim
server's pods roll when the configuration changes (.rollOnConfig): a Job's pod template cannot change.
*/}}
{{- define "makegood.pod" -}}
{{- $root := .root }}
{{- $app := $root.Values.appDir -}}
metadata:
  labels:
    {{- include "makegood.selectorLabels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if or .rollOnConfig $root.Values.podAnnotations }}
  annotations:
    {{- if .rollOnConfig }}
    checksum/config: {{ include (print $root.Template.BasePath "/configmaps.yaml") $root | sha256sum }}
    {{- end }}
    {{- with $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
spec:
  restartPolicy: {{ .restartPolicy | default "Never" }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: makegood
      image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}"
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      workingDir: {{ $app }}
      args:
        {{- toYaml .args | nindent 8 }}
      {{- with .ports }}
      ports:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .probes }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
      env:
        - name: MAKEGOOD_JAVA_OPTS
          value: {{ $root.Values.javaOpts | quote }}
        - name: SPRING_DATASOURCE_URL
          value: {{ $root.Values.database.url | quote }}
        - name: SPRING_DATASOURCE_USERNAME
          valueFrom:
            secretKeyRef:
              name: {{ $root.Values.database.existingSecret }}
              key: {{ $root.Values.database.usernameKey }}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ $root.Values.database.existingSecret }}
              key: {{ $root.Values.database.passwordKey }}
        - name: MAKEGOOD_DELIVERY_TRANSPORT
          value: smtp
        - name: SPRING_MAIL_HOST
          value: {{ $root.Values.smtp.host | quote }}
        - name: SPRING_MAIL_PORT
          value: {{ $root.Values.smtp.port | quote }}
        - name: MAKEGOOD_DELIVERY_REQUIRETLS
          value: {{ $root.Values.smtp.requireTls | quote }}
        {{- with $root.Values.smtp.existingSecret }}
        - name: SPRING_MAIL_USERNAME
          valueFrom:
            secretKeyRef:
              name: {{ . }}
              key: {{ $root.Values.smtp.usernameKey }}
        - name: SPRING_MAIL_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ . }}
              key: {{ $root.Values.smtp.passwordKey }}
        {{- end }}
        {{- with $root.Values.serve.publicBaseUrl }}
        - name: MAKEGOOD_PUBLICBASEURL
          value: {{ . | quote }}
        {{- end }}
        {{- if $root.Values.pushgateway.address }}
        - name: MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED
          value: "true"
        - name: MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS
          value: {{ $root.Values.pushgateway.address | quote }}
        - name: MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_JOB
          value: {{ printf "makegood-%s" .component | quote }}
        - name: MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_SHUTDOWNOPERATION
          value: post
        {{- end }}
        {{- with .extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      resources:
        {{- toYaml (.resources | default $root.Values.resources) | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: {{ printf "%s/config" $app }}
          readOnly: true
        - name: incidents
          mountPath: {{ printf "%s/jobs/incidents" $app }}
          readOnly: true
        {{- if $root.Values.mailTemplates }}
        - name: templates
          mountPath: {{ printf "%s/jobs/templates" $app }}
          readOnly: true
        {{- end }}
        - name: journal
          mountPath: {{ printf "%s/data/journal" $app }}
        - name: reports
          mountPath: {{ printf "%s/reports" $app }}
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: config
      configMap:
        name: {{ include "makegood.fullname" $root }}-config
    - name: incidents
      configMap:
        name: {{ include "makegood.fullname" $root }}-incidents
    {{- if $root.Values.mailTemplates }}
    - name: templates
      configMap:
        name: {{ include "makegood.fullname" $root }}-templates
        items:
          {{- range $template, $files := $root.Values.mailTemplates }}
          {{- range $file, $content := $files }}
          - key: {{ printf "%s.%s" $template $file }}
            path: {{ printf "%s/%s" $template $file }}
          {{- end }}
          {{- end }}
    {{- end }}
    # outlives a container restart within the pod, so a retry there holds only the in-flight messages IN_DOUBT
    - name: journal
      emptyDir: {}
    - name: reports
      {{- if $root.Values.reports.existingClaim }}
      persistentVolumeClaim:
        claimName: {{ $root.Values.reports.existingClaim }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    - name: tmp
      emptyDir: {}
  {{- with $root.Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/*
makegood's exit codes (README): 1 (failed, resumable) and 5 (running elsewhere) are worth another pod; 2 (invalid
input), 3 (refused by the guard or lacking approval) and 4 (stopped by an operator) are not. A pod evicted or
preempted does not count against backoffLimit.
*/}}
{{- define "makegood.retryPolicy" -}}
podFailurePolicy:
  rules:
    - action: FailJob
      onExitCodes:
        containerName: makegood
        operator: In
        values: [2, 3, 4]
    - action: Ignore
      onPodConditions:
        - type: DisruptionTarget
{{- end }}

{{/*
The Job of one command on one spec of incidents.files: .command (run or preview), .spec, and for a run its
.approve plan hash and .deadline (activeDeadlineSeconds), when set.
*/}}
{{- define "makegood.incidentJob" -}}
{{- $root := .root }}
{{- $args := list .command (printf "%s/jobs/incidents/%s" $root.Values.appDir .spec) }}
{{- if .approve }}
{{- $args = concat $args (list "--approve" .approve) }}
{{- end -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "makegood.jobName" (dict "root" $root "command" .command "spec" .spec) }}
  labels:
    {{- include "makegood.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .command }}
spec:
  backoffLimit: {{ $root.Values.backoffLimit }}
  {{- with $root.Values.incidents.ttlSecondsAfterFinished }}
  ttlSecondsAfterFinished: {{ . }}
  {{- end }}
  {{- with .deadline }}
  activeDeadlineSeconds: {{ . }}
  {{- end }}
  {{- include "makegood.retryPolicy" $root | nindent 2 }}
  template:
    {{- include "makegood.pod" (dict "root" $root "args" $args "component" .command) | nindent 4 }}
{{- end }}
