#pragma once

#include "server/core/apperror.h"

#include <QByteArrayView>

#include <functional>

namespace mmv::http {

/// Receives a request body chunk by chunk, for routes that must not buffer the body in
/// memory (uploads). Returning an error aborts the request with that error's status and
/// closes the connection; the sink is then destroyed without finish().
class BodySink
{
public:
    virtual ~BodySink() = default;
    virtual Status write(QByteArrayView chunk) = 0;
    /// Whether the sink takes more now (`drained`: whether it has dealt with everything it
    /// was given, which finish() waits for). If not, the caller stops reading the body (TCP
    /// makes the client wait) until `resume` is called, once, from any thread; a later
    /// ready() replaces it.
    virtual bool ready(bool drained, std::function<void()> resume)
    {
        Q_UNUSED(drained);
        Q_UNUSED(resume);
        return true;
    }
    /// Called once after the last chunk; the handler runs after it succeeds.
    virtual Status finish() = 0;
};

} // namespace mmv::http
