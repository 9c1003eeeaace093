#pragma once

#include <QtGlobal>

namespace mmv {

/// The resident memory of this process in KiB (VmRSS of /proc/self/status); -1 if unknown.
qint64 residentMemoryKiB();

} // namespace mmv
