package handlers

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"imageconsole/models"
)

// Metrics are the Prometheus metrics of one server process; it also
// observes the store (refusals, background work).
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	tasks    *prometheus.CounterVec
	refusals *prometheus.CounterVec
}

// NewMetrics registers the console's metrics, including a gauge of the
// background tasks still to run.
func NewMetrics(store *models.Store) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "imageconsole_http_requests_total",
			Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "imageconsole_http_request_duration_seconds",
			Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"route"}),
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "imageconsole_background_task_runs_total",
			Help: "Background task attempts by kind and result."}, []string{"kind", "result"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "imageconsole_refusals_total",
			Help: "Refused counted operations (quota and rule refusals) by action and code."}, []string{"action", "code"}),
	}
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "imageconsole_background_tasks_pending",
		Help: "Background tasks not finished yet."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := store.PendingTasks(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	m.registry.MustRegister(m.requests, m.latency, m.tasks, m.refusals, pending,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// Refused implements models.Observer.
func (m *Metrics) Refused(action, code string) { m.refusals.WithLabelValues(action, code).Inc() }

// TaskRan implements models.Observer.
func (m *Metrics) TaskRan(kind string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.tasks.WithLabelValues(kind, result).Inc()
}

// Handler serves /metrics; with a token, only to requests that carry it
// as "Authorization: Bearer TOKEN".
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "a metrics token is required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// methodLabels are the HTTP methods counted by name; any other is "other".
var methodLabels = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// Middleware counts requests by route template (never by raw path), by API
// action from the dispatch table's names (others count as "api:other") and
// by a fixed set of methods, so that what a client sends cannot add series
// without bound; it writes one structured log line per request with its
// request ID.
func (m *Metrics) Middleware(log *slog.Logger, actions []string) echo.MiddlewareFunc {
	known := make(map[string]string, len(actions))
	for _, a := range actions {
		known[a] = "api:" + a
	}
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogURIPath: true, LogRoutePath: true, LogRequestID: true,
		LogRemoteIP: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			route := v.RoutePath
			if route == "" {
				route = "unmatched"
			}
			action := c.Request().Header.Get("X-TC-Action")
			if a, ok := c.Get("api.action").(string); ok { // api.ActionKey: a v1 request names it in a parameter
				action = a
			}
			if action != "" && v.URIPath == "/" {
				if route = known[action]; route == "" {
					route = "api:other"
				}
			}
			method := v.Method
			if !methodLabels[method] {
				method = "other"
			}
			m.requests.WithLabelValues(route, method, strconv.Itoa(v.Status)).Inc()
			m.latency.WithLabelValues(route).Observe(v.Latency.Seconds())
			if log != nil {
				log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request", slog.String("request_id", v.RequestID),
					slog.String("method", method), slog.String("route", route), slog.String("path", v.URIPath),
					slog.Int("status", v.Status), slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP))
			}
			return nil
		},
	})
}

// Healthz answers 200 when the database is reachable, 503 otherwise.
func (h *Handler) Healthz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	sqlDB, err := h.store.DB().DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}
