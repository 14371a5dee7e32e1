# Hermetic stand-in for nginx:alpine: Debian's nginx-light from the local base, serving its
# "Welcome to nginx!" page on port 80 over IPv4 and IPv6, in the foreground.
ARG BASE=dslab/base:local
FROM ${BASE}
RUN nginx -t
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
