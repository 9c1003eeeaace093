#include "apperror.h"

namespace mmv {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest:
        return QStringLiteral("bad_request");
    case ErrorCode::InvalidArgument:
        return QStringLiteral("invalid_argument");
    case ErrorCode::Unauthorized:
        return QStringLiteral("unauthorized");
    case ErrorCode::Forbidden:
        return QStringLiteral("forbidden");
    case ErrorCode::NotFound:
        return QStringLiteral("not_found");
    case ErrorCode::MethodNotAllowed:
        return QStringLiteral("method_not_allowed");
    case ErrorCode::Timeout:
        return QStringLiteral("timeout");
    case ErrorCode::Conflict:
        return QStringLiteral("conflict");
    case ErrorCode::PayloadTooLarge:
        return QStringLiteral("payload_too_large");
    case ErrorCode::UnsupportedMediaType:
        return QStringLiteral("unsupported_media_type");
    case ErrorCode::HeadersTooLarge:
        return QStringLiteral("headers_too_large");
    case ErrorCode::TooManyRequests:
        return QStringLiteral("too_many_requests");
    case ErrorCode::UnknownEvent:
        return QStringLiteral("unknown_event");
    case ErrorCode::InsufficientStorage:
        return QStringLiteral("insufficient_storage");
    case ErrorCode::Internal:
        return QStringLiteral("internal");
    case ErrorCode::Unavailable:
        return QStringLiteral("unavailable");
    }
    return QStringLiteral("internal");
}

int httpStatusFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest:
    case ErrorCode::InvalidArgument:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::Forbidden:
        return 403;
    case ErrorCode::NotFound:
    case ErrorCode::UnknownEvent:
        return 404;
    case ErrorCode::MethodNotAllowed:
        return 405;
    case ErrorCode::Timeout:
        return 408;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::PayloadTooLarge:
        return 413;
    case ErrorCode::UnsupportedMediaType:
        return 415;
    case ErrorCode::HeadersTooLarge:
        return 431;
    case ErrorCode::TooManyRequests:
        return 429;
    case ErrorCode::InsufficientStorage:
        return 507;
    case ErrorCode::Internal:
        return 500;
    case ErrorCode::Unavailable:
        return 503;
    }
    return 500;
}

QString AppError::codeName() const
{
    return errorCodeName(code);
}

int AppError::httpStatus() const
{
    return httpStatusFor(code);
}

QJsonObject AppError::toJson() const
{
    return QJsonObject{ { QStringLiteral("code"), codeName() },
                        { QStringLiteral("message"), message } };
}

AppError cancelledError()
{
    return AppError{ ErrorCode::Conflict, QStringLiteral("cancelled") };
}

} // namespace mmv
