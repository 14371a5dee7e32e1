# Hermetic base: the debootstrap root filesystem (imported as ROOTFS) plus the machine's
# Node 20 (Debian's own Node is 18). Context: a folder holding just the `node` binary.
ARG ROOTFS=dslab/rootfs:local
FROM ${ROOTFS}
COPY node /usr/local/bin/node
RUN node --version
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["sh"]
