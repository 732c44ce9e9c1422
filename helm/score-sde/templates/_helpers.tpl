{{- define "score-sde.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "score-sde.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "score-sde.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "score-sde.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "score-sde.selectorLabels" -}}
app.kubernetes.io/name: {{ include "score-sde.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{/* The image; "gpu" = true picks the CUDA tag when GPUs are enabled for that workload. */}}
{{- define "score-sde.image" -}}
{{- $root := .root -}}
{{- $tag := default $root.Chart.AppVersion $root.Values.image.tag -}}
{{- if and .gpu $root.Values.gpu.imageTag }}{{ $tag = $root.Values.gpu.imageTag }}{{ end -}}
{{ printf "%s:%s" $root.Values.image.repository $tag }}
{{- end }}

{{- define "score-sde.claimName" -}}
{{- default (printf "%s-models" (include "score-sde.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/* The model registry with checkpoint models defaulted onto the GPU when GPUs are enabled. */}}
{{- define "score-sde.models" -}}
{{- $models := dict }}
{{- range $name, $m := .Values.models }}
{{- $model := deepCopy $m }}
{{- if and $.Values.gpu.enabled (ne (default "checkpoint" $model.kind) "gaussian-mixture") (not $model.device) }}
{{- $_ := set $model "device" "gpu" }}
{{- end }}
{{- $_ := set $models $name $model }}
{{- end }}
{{- toYaml $models }}
{{- end }}

{{/* Pod-level settings shared by the server, the training Job and the generate Job. */}}
{{- define "score-sde.podCommon" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- $nodeSelector := merge (deepCopy .nodeSelector) (.gpu | ternary .root.Values.gpu.nodeSelector dict) }}
{{- with $nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- $tolerations := concat .tolerations (.gpu | ternary .root.Values.gpu.tolerations list) }}
{{- with $tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Resources with an optional GPU limit. */}}
{{- define "score-sde.resources" -}}
{{- $r := deepCopy (default dict .resources) }}
{{- if gt (int .gpus) 0 }}
{{- $limits := default dict $r.limits }}
{{- $_ := set $limits .root.Values.gpu.resourceName (int .gpus) }}
{{- $_ := set $r "limits" $limits }}
{{- end }}
{{- toYaml $r }}
{{- end }}

{{/* The Secret with api-keys.yml: the user's own or the generated one. */}}
{{- define "score-sde.keysSecret" -}}
{{- default (printf "%s-api-keys" (include "score-sde.fullname" .)) .Values.security.existingSecret }}
{{- end }}

{{/* score-sde.security.* for the rendered application YAML (the keys themselves come from the Secret). */}}
{{- define "score-sde.security" -}}
{{- $s := .Values.security }}
{{- $q := $s.quota }}
{{- $cfg := dict "enabled" $s.enabled "cors" (dict "allowed-origins" $s.cors.allowedOrigins) }}
{{- $_ := set $cfg "quota" (dict "enabled" $q.enabled "requests" $q.requests "period" $q.period
    "anonymous-requests" $q.anonymousRequests "max-concurrent" $q.maxConcurrent
    "anonymous-max-concurrent" $q.anonymousMaxConcurrent) }}
{{- toYaml $cfg }}
{{- end }}

{{/* The in-chart Redis: its name (Deployment, Service, generated Secret) and pod labels, apart from the server's. */}}
{{- define "score-sde.redisName" -}}
{{- printf "%s-redis" (include "score-sde.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "score-sde.redisSelectorLabels" -}}
app.kubernetes.io/name: {{ include "score-sde.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}

{{/* The Redis the jobs use: the external URL, else the in-chart Service; fails when jobs.store=redis has neither. */}}
{{- define "score-sde.redisUrl" -}}
{{- if .Values.jobs.redis.url }}
{{- .Values.jobs.redis.url }}
{{- else if .Values.redis.enabled }}
{{- printf "redis://%s:6379" (include "score-sde.redisName" .) }}
{{- else }}
{{- fail "jobs.store=redis needs jobs.redis.url (an external Redis) or redis.enabled=true (the in-chart Redis)" }}
{{- end }}
{{- end }}

{{/* The Secret holding the Redis password, or "" for an external Redis without one. */}}
{{- define "score-sde.redisSecret" -}}
{{- if .Values.jobs.redis.existingSecret }}
{{- .Values.jobs.redis.existingSecret }}
{{- else if and .Values.redis.enabled (not .Values.jobs.redis.url) }}
{{- include "score-sde.redisName" . }}
{{- end }}
{{- end }}
