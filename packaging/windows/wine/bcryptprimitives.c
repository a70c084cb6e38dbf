/*
 * A stand-in for Windows' bcryptprimitives.dll, for package-check under wine
 * only: never shipped. Go 1.24 and later read all randomness through
 * ProcessPrng, which every Windows 10 and 11 has but Debian 12's wine 8.0 does
 * not, so a Go exe dies there before main ("bcryptprimitives.dll not found").
 * This forwards to RtlGenRandom (advapi32's SystemFunction036), which wine
 * implements with the host's random source.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
