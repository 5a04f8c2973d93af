; The Windows installer of 妇联维权工作台 (NSIS 3, Unicode). Built by packaging/build_installer.py:
;
;     python packaging/build_installer.py [--bundle dist/fulian-desktop] [--out dist]
;
; Installs the PyInstaller folder (dist\fulian-desktop) into Program Files for every user of the PC, makes the
; Start-menu and desktop shortcuts, registers an uninstaller in 应用和功能 (Apps & features), and installs a new
; version over an old one in place. The data folder (%LOCALAPPDATA%\FulianDesktop: the database, its key file, the
; automatic backups, the logs) is never touched, neither by installing nor by uninstalling.
;
; Defines given by build_installer.py: BUNDLE (the folder to install), VERSION (e.g. 1.4.0), ICON, OUTFILE, and, when the
; office has a code-signing certificate, SIGN (a command with %1 for the file: the installer and its uninstaller are
; signed as they are made; sign the program's own .exe files in the bundle before building, see README).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef BUNDLE
  !error "BUNDLE (the PyInstaller folder) must be given"
!endif
!ifndef VERSION
  !error "VERSION must be given"
!endif
!ifndef ICON
  !error "ICON (resources/icons/app.ico) must be given"
!endif
!ifndef OUTFILE
  !define OUTFILE "fulian-desktop-${VERSION}-setup.exe"
!endif

!define APP "妇联维权工作台"
!define EXE "fulian-desktop.exe"
!define CLI "fulian-desktop-cli.exe"
!define PUBLISHER "县妇联"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\FulianDesktop"

!ifdef SIGN
  !finalize '${SIGN}'
  !uninstfinalize '${SIGN}'
!endif

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "打开${APP}"
!define MUI_WELCOMEPAGE_TEXT "将在这台电脑上为所有用户安装${APP} ${VERSION}。$\r$\n$\r$\n已安装旧版本时会直接替换为新版本；案件数据（在每位用户自己的数据文件夹中）不会改动。$\r$\n$\r$\n安装前请先关闭正在运行的${APP}。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从这台电脑上删除${APP}程序。案件数据、密钥文件和备份不会删除（在每位用户的 %LOCALAPPDATA%\FulianDesktop 文件夹和U盘上）。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP}需要64位的Windows 10或11。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${APP}" Main
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; upgrading in place: the old program's files go first, so nothing of an older version is left beside the new one
  ; (only the program's own files: this folder never holds data)
  ClearErrors
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI}"
  ${If} ${Errors}
    MessageBox MB_ICONEXCLAMATION "${APP}还在运行（或被杀毒软件占用）。请关闭它后点“确定”重试。" /SD IDOK
    Delete "$INSTDIR\${EXE}"
    Delete "$INSTDIR\${CLI}"
  ${EndIf}
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  ; the program folder only: the data stays in each user's %LOCALAPPDATA%\FulianDesktop
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
