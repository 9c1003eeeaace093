#pragma once

#include "server/core/apperror.h"

#include <QByteArrayView>

namespace mmv::http {

/// Receives a request body chunk by chunk, for routes that must not buffer the body in
/// memory (uploads). Returning an error aborts the request with that error's status and
/// closes the connection; the sink is then destroyed without finish().
class BodySink
{
public:
    virtual ~BodySink() = default;
    virtual Status write(QByteArrayView chunk) = 0;
    /// Called once after the last chunk; the handler runs after it succeeds.
    virtual Status finish() = 0;
};

} // namespace mmv::http
