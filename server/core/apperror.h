#pragma once

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

namespace mmv {

/// Application error codes shared by the HTTP API and Socket.IO acks.
/// httpStatus() is the one place that maps them to HTTP statuses.
enum class ErrorCode {
    BadRequest,
    InvalidArgument,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Timeout,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    HeadersTooLarge,
    TooManyRequests,
    UnknownEvent,
    InsufficientStorage,
    Internal,
    Unavailable,
};

/// An error as a value: a stable machine-readable code and a human-readable message.
struct AppError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;

    /// The wire name of the code, e.g. "payload_too_large".
    QString codeName() const;
    int httpStatus() const;
    /// {"code": ..., "message": ...}
    QJsonObject toJson() const;
};

QString errorCodeName(ErrorCode code);
int httpStatusFor(ErrorCode code);

/// The answer of work stopped on request (an analysis, adding a file).
AppError cancelledError();

/// Set, from any thread, to ask work in progress to stop.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;
inline CancelFlag makeCancelFlag()
{
    return std::make_shared<std::atomic<bool>>(false);
}

/// Either a value or an AppError.
template<typename T>
class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    { }
    Result(AppError error)
        : m_data(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<T>(m_data); }
    T &value() { return std::get<T>(m_data); }
    const AppError &error() const { return std::get<AppError>(m_data); }

private:
    std::variant<T, AppError> m_data;
};

/// Result of an operation that has no value.
using Status = std::optional<AppError>;

} // namespace mmv
