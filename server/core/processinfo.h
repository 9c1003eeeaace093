#pragma once

#include <QtGlobal>

namespace mmv {

/// The resident memory of this process in KiB (VmRSS of /proc/self/status); -1 if unknown.
qint64 residentMemoryKiB();

/// Names the calling thread as `top -H`, perf and debuggers show it (at most 15 characters are
/// kept). For threads Qt does not know (std::thread).
void setCurrentThreadName(const char *name);

} // namespace mmv
