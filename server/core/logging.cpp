#include "logging.h"

Q_LOGGING_CATEGORY(lcApp, "mmv.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "mmv.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngineIo, "mmv.engineio", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSocketIo, "mmv.socketio", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRedis, "mmv.redis", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAnalysis, "mmv.analysis", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "mmv.ui", QtInfoMsg)
