#!/bin/sh
# Build-time configuration of the corporate SOE. The Containerfile runs it from a bind mount of
# this folder, so the script configures the image without ever becoming part of it.
#
#   configure-soe.sh SOE_VERSION
set -eu
version=${1:?usage: configure-soe.sh SOE_VERSION}

# Time: UTC on every machine; chrony reads its servers from /etc/chrony/conf.d.
ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime
echo Etc/UTC >/etc/timezone

# Journald keeps logs across reboots, bounded, and hands them to rsyslog for forwarding.
mkdir -p /etc/systemd/journald.conf.d
cat >/etc/systemd/journald.conf.d/10-corp.conf <<'CONF'
[Journal]
Storage=persistent
SystemMaxUse=512M
ForwardToSyslog=yes
CONF

# The release file corp-healthcheck and inventory tools read.
printf 'SOE_VERSION=%s\n' "$version" >/etc/corp-soe-release

# The admins group sudoers.d/corp-admins names, declared for systemd-sysusers too so a bootc
# host that updates /etc keeps it.
getent group corp-admins >/dev/null || groupadd --system corp-admins
mkdir -p /usr/lib/sysusers.d
echo 'g corp-admins -' >/usr/lib/sysusers.d/corp-admins.conf

systemctl enable chrony.service rsyslog.service auditd.service corp-healthcheck.timer
