# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QLabel, QSizePolicy, QVBoxLayout, QWidget)

class Ui_AboutDialog(object):
    def setupUi(self, AboutDialog):
        if not AboutDialog.objectName():
            AboutDialog.setObjectName(u"AboutDialog")
        AboutDialog.resize(420, 240)
        self.layout = QVBoxLayout(AboutDialog)
        self.layout.setObjectName(u"layout")
        self.title = QLabel(AboutDialog)
        self.title.setObjectName(u"title")
        self.title.setStyleSheet(u"font-size: 16pt; font-weight: bold;")

        self.layout.addWidget(self.title)

        self.version = QLabel(AboutDialog)
        self.version.setObjectName(u"version")

        self.layout.addWidget(self.version)

        self.details = QLabel(AboutDialog)
        self.details.setObjectName(u"details")
        self.details.setWordWrap(True)

        self.layout.addWidget(self.details)

        self.database = QLabel(AboutDialog)
        self.database.setObjectName(u"database")
        self.database.setWordWrap(True)
        self.database.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.layout.addWidget(self.database)

        self.buttons = QDialogButtonBox(AboutDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Ok)

        self.layout.addWidget(self.buttons)


        self.retranslateUi(AboutDialog)
        self.buttons.accepted.connect(AboutDialog.accept)

        QMetaObject.connectSlotsByName(AboutDialog)
    # setupUi

    def retranslateUi(self, AboutDialog):
        AboutDialog.setWindowTitle(QCoreApplication.translate("AboutDialog", u"\u5173\u4e8e", None))
        self.title.setText(QCoreApplication.translate("AboutDialog", u"\u5987\u8054\u7ef4\u6743\u5de5\u4f5c\u53f0", None))
        self.version.setText(QCoreApplication.translate("AboutDialog", u"\u7248\u672c", None))
        self.details.setText(QCoreApplication.translate("AboutDialog", u"\u53bf\u5987\u8054\u7ef4\u6743\u7a97\u53e3\u7684\u6848\u4ef6\u7ba1\u7406\uff1a\u4fe1\u8bbf\u767b\u8bb0\u3001\u6cd5\u5f8b\u63f4\u52a9\u8f6c\u4ecb\u3001\u5a5a\u59fb\u5bb6\u5ead\u7ea0\u7eb7\u8c03\u89e3\u3001\u5e2e\u6276\u6237\u8d70\u8bbf\u3002\u6570\u636e\u53ea\u4fdd\u5b58\u5728\u672c\u673a\u3002", None))
    # retranslateUi

