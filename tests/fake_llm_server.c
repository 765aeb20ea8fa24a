/* A scripted stand-in for an OpenAI-compatible chat-completions server,
 * so the LLM client's behaviour under every fault (fenced or chatty JSON,
 * truncation, 429 with Retry-After, 5xx, slow answers, broken bodies) is
 * tested with no model. HTTP/1.1 over POSIX sockets, one thread per
 * connection, one request per connection ("Connection: close").
 *
 * usage: fake_llm_server --script FILE [--port-file FILE] [--log FILE]
 *          [--max-requests N] [--idle-timeout S] [--max-seconds S]
 *
 * It binds 127.0.0.1 on a port the kernel picks, prints the port on
 * stdout and writes it to --port-file (atomically, by rename). The script
 * is a JSON array of steps:
 *   {"match": "text", "status": 200, "headers": {"Retry-After": "1"},
 *    "delay_ms": 0, "content": "...", "finish_reason": "stop",
 *    "raw_body": "...", "error": "message", "usage": {...},
 *    "repeat": false}
 * A request takes the first step not yet used whose "match" (if any) is a
 * substring of the request (headers and body: the client names its role
 * in an X-LLM4Perf-Role header); "repeat" steps are never used up. With
 * no step left the answer is a 500. The log gets one JSON line per
 * request (arrival, start of the answer and completion in ms since
 * start, requests open at arrival, status, role, Authorization header,
 * body) and a final summary line with the most requests ever open at
 * once, measured here, not by client timing. It exits after
 * --max-requests answers, when idle for --idle-timeout seconds, after
 * --max-seconds, or on SIGTERM (cutting delays short), whichever comes
 * first; open requests are answered and logged before it exits.
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#define MAX_HEADER (64 << 10)
#define MAX_BODY (16 << 20)
#define MAX_CONNECTIONS 4096

struct server {
  json_t *steps;
  bool *used;
  FILE *log;
  pthread_mutex_t lock;
  double start;
  int open, max_open;
  long requests; /* requests read */
  long answered; /* responses finished */
};

static struct server srv = {.lock = PTHREAD_MUTEX_INITIALIZER};

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6 - srv.start;
}

/* Set by SIGTERM: stop accepting, finish (and log) what is open. */
static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
  (void)sig;
  stopping = 1;
}

/* Sleep ms in small steps, cut short when stopping. */
static void sleep_ms(long ms)
{
  for (long slept = 0; slept < ms && !stopping; slept += 10) {
    struct timespec ts = {0, 10000000L};
    nanosleep(&ts, NULL);
  }
}

static void die(const char *what)
{
  fprintf(stderr, "fake_llm_server: %s\n", what);
  exit(2);
}

/* One parsed request. */
struct request {
  char *text; /* headers + body, NUL-terminated */
  char *body; /* points into text */
  size_t body_len;
  char method[16], path[256];
  char role[128], auth[512];
};

/* Value of header name in the header block [text, end), into out. */
static void header(const char *text, const char *end, const char *name,
                   char *out, size_t size)
{
  out[0] = '\0';
  size_t n = strlen(name);
  for (const char *line = strstr(text, "\r\n"); line && line < end;
       line = strstr(line + 2, "\r\n")) {
    const char *h = line + 2;
    if (h + n < end && !strncasecmp(h, name, n) && h[n] == ':') {
      const char *v = h + n + 1;
      while (*v == ' ')
        v++;
      const char *stop = strstr(v, "\r\n");
      size_t len = stop ? (size_t)(stop - v) : strlen(v);
      snprintf(out, size, "%.*s", (int)len, v);
      return;
    }
  }
}

/* Read one request from fd; false when the client sent none. */
static bool read_request(int fd, struct request *rq)
{
  memset(rq, 0, sizeof *rq);
  size_t cap = 4096, len = 0, need = 0;
  char *buf = malloc(cap + 1);
  char *head_end = NULL;
  if (!buf)
    die("out of memory");
  for (;;) {
    if (head_end && len >= need)
      break;
    if (len == cap) {
      /* realloc may move the buffer: keep where the head ends as an
       * offset (a body over 4 KB once left head_end dangling) */
      size_t head_len = head_end ? (size_t)(head_end - buf) : 0;
      cap *= 2;
      if (cap > MAX_HEADER + MAX_BODY || !(buf = realloc(buf, cap + 1)))
        die("request too large");
      if (head_end)
        head_end = buf + head_len;
    }
    ssize_t got = recv(fd, buf + len, cap - len, 0);
    if (got <= 0) {
      free(buf);
      return false;
    }
    len += (size_t)got;
    buf[len] = '\0';
    if (!head_end && (head_end = strstr(buf, "\r\n\r\n"))) {
      char value[32];
      header(buf, head_end + 2, "Content-Length", value, sizeof value);
      need = (size_t)(head_end + 4 - buf) + strtoul(value, NULL, 10);
    } else if (!head_end && len > MAX_HEADER) {
      free(buf);
      return false;
    }
  }
  rq->text = buf;
  rq->body = head_end + 4;
  rq->body_len = len - (size_t)(rq->body - buf);
  sscanf(buf, "%15s %255s", rq->method, rq->path);
  header(buf, head_end + 2, "X-LLM4Perf-Role", rq->role, sizeof rq->role);
  header(buf, head_end + 2, "Authorization", rq->auth, sizeof rq->auth);
  return true;
}

/* Index of the step for this request, or -1; marks it used. */
static int take_step(const struct request *rq)
{
  size_t i;
  json_t *step;
  json_array_foreach (srv.steps, i, step) {
    if (srv.used[i])
      continue;
    json_t *match = json_object_get(step, "match");
    if (json_is_string(match) && !strstr(rq->text, json_string_value(match)))
      continue;
    if (!json_is_true(json_object_get(step, "repeat")))
      srv.used[i] = true;
    return (int)i;
  }
  return -1;
}

static const char *reason(int status)
{
  switch (status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 404:
    return "Not Found";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  default:
    return "Status";
  }
}

/* Usage reported when a step gives none. */
static json_t *default_usage(void)
{
  return json_pack("{s:i, s:i, s:i}", "prompt_tokens", 10, "completion_tokens",
                   5, "total_tokens", 15);
}

/* The body a step answers with (heap). */
static char *answer_body(json_t *step, const struct request *rq, long n)
{
  json_t *raw = json_object_get(step, "raw_body");
  if (json_is_string(raw))
    return strdup(json_string_value(raw));
  json_t *error = json_object_get(step, "error");
  if (json_is_string(error)) {
    json_t *e = json_pack("{s:{s:O, s:s}}", "error", "message", error, "type",
                          "fake_error");
    char *text = json_dumps(e, JSON_COMPACT);
    json_decref(e);
    return text;
  }
  json_t *req = json_loadb(rq->body, rq->body_len, 0, NULL);
  json_t *model = json_object_get(req, "model");
  json_t *content = json_object_get(step, "content");
  json_t *finish = json_object_get(step, "finish_reason");
  json_t *usage = json_object_get(step, "usage");
  char id[32];
  snprintf(id, sizeof id, "fake-%ld", n);
  json_t *out = json_pack(
      "{s:s, s:s, s:i, s:s, s:[{s:i, s:{s:s, s:s}, s:s}], s:o}", "id", id,
      "object", "chat.completion", "created", 0, "model",
      json_is_string(model) ? json_string_value(model) : "fake", "choices",
      "index", 0, "message", "role", "assistant", "content",
      json_is_string(content) ? json_string_value(content) : "",
      "finish_reason",
      json_is_string(finish) ? json_string_value(finish) : "stop", "usage",
      usage ? json_incref(usage) : default_usage());
  char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
  json_decref(out);
  json_decref(req);
  return text ? text : strdup("{}");
}

static void send_all(int fd, const char *data, size_t len)
{
  while (len > 0) {
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n <= 0)
      return; /* the client gave up (timeout test): fine */
    data += n;
    len -= (size_t)n;
  }
}

/* Write the response of step (NULL: no step left) to fd. */
static int respond(int fd, json_t *step, const struct request *rq, long n)
{
  int status = 500;
  char *body;
  if (!strstr(rq->path, "/chat/completions") || strcmp(rq->method, "POST")) {
    status = 404;
    body = strdup("{\"error\":{\"message\":\"fake server: unknown path\"}}");
  } else if (!step) {
    body = strdup("{\"error\":{\"message\":\"fake server: no step left\"}}");
  } else {
    json_t *s = json_object_get(step, "status");
    status = json_is_integer(s) ? (int)json_integer_value(s) : 200;
    body = answer_body(step, rq, n);
  }
  char head[2048];
  int len = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n",
                     status, reason(status), strlen(body));
  const char *name;
  json_t *value;
  json_object_foreach (json_object_get(step, "headers"), name, value) {
    if (json_is_string(value) && len < (int)sizeof head - 300)
      len += snprintf(head + len, sizeof head - (size_t)len, "%s: %s\r\n", name,
                      json_string_value(value));
  }
  len += snprintf(head + len, sizeof head - (size_t)len, "\r\n");
  send_all(fd, head, (size_t)len);
  send_all(fd, body, strlen(body));
  free(body);
  return status;
}

/* Serve one connection: read, pick the step, wait, answer, log. */
static void *serve(void *arg)
{
  int fd = (int)(intptr_t)arg;
  struct timeval limit = {10, 0}; /* a silent client cannot hold us */
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  struct request rq;
  if (!read_request(fd, &rq)) {
    close(fd);
    return NULL;
  }
  pthread_mutex_lock(&srv.lock);
  double arrival = now_ms();
  int open_at_arrival = ++srv.open;
  if (srv.open > srv.max_open)
    srv.max_open = srv.open;
  long n = ++srv.requests;
  int index = take_step(&rq);
  json_t *step = index >= 0 ? json_array_get(srv.steps, (size_t)index) : NULL;
  pthread_mutex_unlock(&srv.lock);

  json_t *delay = json_object_get(step, "delay_ms");
  if (json_is_integer(delay))
    sleep_ms((long)json_integer_value(delay));
  /* Taken before sending: the client cannot have the answer earlier. */
  double respond_at = now_ms();
  int status = respond(fd, step, &rq, n);
  shutdown(fd, SHUT_WR);
  close(fd);

  pthread_mutex_lock(&srv.lock);
  srv.open--;
  srv.answered++;
  json_t *line = json_pack(
      "{s:i, s:i, s:f, s:f, s:f, s:i, s:i, s:s, s:s, s:s, s:s%}", "n", (int)n,
      "step", index, "arrival_ms", arrival, "respond_ms", respond_at, "done_ms",
      now_ms(), "open_at_arrival", open_at_arrival, "status", status, "path",
      rq.path, "role", rq.role, "authorization", rq.auth, "body", rq.body,
      rq.body_len);
  if (srv.log && line) {
    char *text = json_dumps(line, JSON_COMPACT);
    fprintf(srv.log, "%s\n", text ? text : "{}");
    fflush(srv.log);
    free(text);
  }
  json_decref(line);
  pthread_mutex_unlock(&srv.lock);
  free(rq.text);
  return NULL;
}

/* Bind 127.0.0.1:0 and listen; the port comes back through *port. */
static int listen_any(int *port)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof addr;
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) ||
      listen(fd, 128) || getsockname(fd, (struct sockaddr *)&addr, &alen))
    die("cannot listen on 127.0.0.1");
  *port = ntohs(addr.sin_port);
  return fd;
}

static void write_port(const char *path, int port)
{
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) || rename(tmp, path))
    die("cannot write the port file");
}

int main(int argc, char **argv)
{
  const char *script = NULL, *port_file = NULL, *log_path = NULL;
  long max_requests = 1000;
  double idle_s = 10, max_s = 120;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--script"))
      script = argv[i + 1];
    else if (!strcmp(argv[i], "--port-file"))
      port_file = argv[i + 1];
    else if (!strcmp(argv[i], "--log"))
      log_path = argv[i + 1];
    else if (!strcmp(argv[i], "--max-requests"))
      max_requests = strtol(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--idle-timeout"))
      idle_s = strtod(argv[i + 1], NULL);
    else if (!strcmp(argv[i], "--max-seconds"))
      max_s = strtod(argv[i + 1], NULL);
    else
      die("unknown option");
  }
  if (!script || max_requests < 1 || max_requests > MAX_CONNECTIONS)
    die("usage: fake_llm_server --script FILE [--port-file FILE] "
        "[--log FILE] [--max-requests N] [--idle-timeout S] "
        "[--max-seconds S]");
  json_error_t jerr;
  srv.steps = json_load_file(script, 0, &jerr);
  if (!json_is_array(srv.steps))
    die("the script is not a JSON array");
  srv.used = calloc(json_array_size(srv.steps) + 1, sizeof *srv.used);
  if (log_path && !(srv.log = fopen(log_path, "w")))
    die("cannot open the log");
  signal(SIGPIPE, SIG_IGN);
  struct sigaction term = {.sa_handler = on_term};
  sigaction(SIGTERM, &term, NULL);
  srv.start = 0;
  srv.start = now_ms();

  int port, lfd = listen_any(&port);
  printf("%d\n", port);
  fflush(stdout);
  if (port_file)
    write_port(port_file, port);

  pthread_t *threads = calloc((size_t)max_requests, sizeof *threads);
  long accepted = 0;
  double last_activity = now_ms();
  while (!stopping && accepted < max_requests && now_ms() < max_s * 1e3) {
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, 50) > 0) {
      int fd = accept(lfd, NULL, NULL);
      if (fd < 0)
        continue;
      pthread_create(&threads[accepted++], NULL, serve, (void *)(intptr_t)fd);
      last_activity = now_ms();
      continue;
    }
    pthread_mutex_lock(&srv.lock);
    bool busy = srv.open > 0;
    pthread_mutex_unlock(&srv.lock);
    if (busy)
      last_activity = now_ms();
    else if (now_ms() - last_activity > idle_s * 1e3)
      break;
  }
  close(lfd);
  for (long i = 0; i < accepted; i++)
    pthread_join(threads[i], NULL);
  if (srv.log) {
    fprintf(srv.log,
            "{\"summary\":true,\"requests\":%ld,\"answered\":%ld,"
            "\"max_open\":%d}\n",
            srv.requests, srv.answered, srv.max_open);
    fclose(srv.log);
  }
  free(threads);
  free(srv.used);
  json_decref(srv.steps);
  return 0;
}
