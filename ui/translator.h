#pragma once

#include <QString>

class QCoreApplication;

namespace mmv {

/// Installs the application's translation for `language` ("de", "de_DE"; empty means the
/// system locale) from the embedded :/i18n/multimodelvideo_<lang>.qm, plus Qt's own qtbase
/// translation when one is installed. Translators installed by an earlier call are removed
/// first, so the language can be switched.
///
/// Returns false when there is no translation for the language; English is the source
/// language and always succeeds. An explicitly requested missing language is logged as a
/// warning (mmv.ui), a missing system language only as info.
bool installTranslations(QCoreApplication &app, const QString &language);

} // namespace mmv
