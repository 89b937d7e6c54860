; Inno Setup 6 script for the Windows installer of invdesk.
; Build the one-folder app first on Windows:
;   uv sync --group packaging
;   uv run --group packaging pyinstaller --noconfirm packaging\invdesk.spec
; then:  iscc packaging\invdesk.iss      -> dist\invdesk-setup-<version>.exe

#define AppName "invdesk"
#define AppVersion "0.1.0"
#define AppPublisher "invdesk contributors"
#define AppExe "invdesk.exe"

[Setup]
AppId={{6C3B8E3A-2F7D-4C41-9B7E-1F0D6A5E9C21}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine install by default; users without admin rights may install for themselves.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=invdesk-setup-{#AppVersion}
SetupIconFile=..\resources\icons\invdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\invdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The database and config live in the user's profile (%LOCALAPPDATA%\invdesk), not in {app}:
; uninstalling never deletes stock data.
